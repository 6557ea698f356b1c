SET NAMES utf8mb4;

CREATE TABLE `customer` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(255) NOT NULL COMMENT 'where receipts go',
    `name` VARCHAR(100) NULL,
    `vip` BOOL NOT NULL DEFAULT FALSE,
    `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (`id`),
    CONSTRAINT `uq_customer_email` UNIQUE (`email`),
    INDEX `ix_customer_name` (`name`)
) COMMENT = 'people who buy';

CREATE TABLE `orders` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `customer_id` BIGINT NOT NULL,
    `status` VARCHAR(20) NOT NULL DEFAULT 'new',
    `placed_at` DATETIME(6) NOT NULL,
    `note` LONGTEXT NULL,
    PRIMARY KEY (`id`),
    CONSTRAINT `fk_orders_customer_id_customer` FOREIGN KEY (`customer_id`) REFERENCES `customer` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT `ck_orders_status` CHECK (status IN ('new', 'paid', 'sent')),
    INDEX `ix_orders_recent` (`customer_id`, `placed_at` DESC),
    INDEX `ix_orders_status` (`status`)
);

CREATE TABLE `product` (
    `id` INT NOT NULL AUTO_INCREMENT,
    `sku` VARCHAR(32) NOT NULL,
    `title` VARCHAR(200) NOT NULL,
    `price` DECIMAL(10,2) NOT NULL DEFAULT '0.00',
    `weight` DOUBLE NULL,
    PRIMARY KEY (`id`),
    CONSTRAINT `uq_product_sku` UNIQUE (`sku`),
    CONSTRAINT `ck_product_price_positive` CHECK ("price" >= 0),
    UNIQUE INDEX `ix_product_title_price` (`title`, `price`)
);

CREATE TABLE `order_line` (
    `order_id` BIGINT NOT NULL,
    `product_id` INT NOT NULL,
    `quantity` INT NOT NULL DEFAULT 1,
    `price` DECIMAL(10,2) NOT NULL,
    PRIMARY KEY (`order_id`, `product_id`),
    CONSTRAINT `fk_order_line_order_id_orders` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_line_product` FOREIGN KEY (`product_id`) REFERENCES `product` (`id`),
    CONSTRAINT `ck_order_line_quantity_positive` CHECK (quantity > 0),
    INDEX `ix_order_line_product_id` (`product_id`)
);
