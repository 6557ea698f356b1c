SET NAMES utf8mb4;

CREATE TABLE `employee` (
    `id` INT NOT NULL,
    `manager_id` INT NULL,
    `name` VARCHAR(80) NOT NULL,
    PRIMARY KEY (`id`),
    CONSTRAINT `fk_employee_manager_id_employee` FOREIGN KEY (`manager_id`) REFERENCES `employee` (`id`) ON DELETE SET NULL
);
