SET NAMES utf8mb4;

CREATE TABLE `book` (
    `id` INT NOT NULL,
    `author_id` INT NOT NULL,
    PRIMARY KEY (`id`)
);

CREATE TABLE `author` (
    `id` INT NOT NULL,
    `best_book_id` INT NULL,
    PRIMARY KEY (`id`),
    CONSTRAINT `fk_author_best_book_id_book` FOREIGN KEY (`best_book_id`) REFERENCES `book` (`id`)
);

CREATE TABLE `review` (
    `id` INT NOT NULL,
    `book_id` INT NOT NULL,
    `body` LONGTEXT NOT NULL,
    PRIMARY KEY (`id`),
    CONSTRAINT `fk_review_book_id_book` FOREIGN KEY (`book_id`) REFERENCES `book` (`id`) ON DELETE CASCADE
);

ALTER TABLE `book` ADD CONSTRAINT `fk_book_author_id_author` FOREIGN KEY (`author_id`) REFERENCES `author` (`id`);
