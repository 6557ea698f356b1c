CREATE TABLE "customer" (
    "id" INTEGER NOT NULL,
    "email" VARCHAR(255) NOT NULL,
    "name" VARCHAR(100),
    "vip" BOOLEAN NOT NULL DEFAULT 0,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pk_customer" PRIMARY KEY ("id"),
    CONSTRAINT "uq_customer_email" UNIQUE ("email")
);
CREATE INDEX "ix_customer_name" ON "customer" ("name");

CREATE TABLE "orders" (
    "id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'new',
    "placed_at" DATETIME NOT NULL,
    "note" TEXT,
    CONSTRAINT "pk_orders" PRIMARY KEY ("id"),
    CONSTRAINT "fk_orders_customer_id_customer" FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ck_orders_status" CHECK (status IN ('new', 'paid', 'sent'))
);
CREATE INDEX "ix_orders_recent" ON "orders" ("customer_id", "placed_at" DESC);
CREATE INDEX "ix_orders_status" ON "orders" ("status");

CREATE TABLE "product" (
    "id" INTEGER NOT NULL,
    "sku" VARCHAR(32) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "price" NUMERIC(10,2) NOT NULL DEFAULT '0.00',
    "weight" REAL,
    CONSTRAINT "pk_product" PRIMARY KEY ("id"),
    CONSTRAINT "uq_product_sku" UNIQUE ("sku"),
    CONSTRAINT "ck_product_price_positive" CHECK ("price" >= 0)
);
CREATE UNIQUE INDEX "ix_product_title_price" ON "product" ("title", "price");

CREATE TABLE "order_line" (
    "order_id" BIGINT NOT NULL,
    "product_id" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL DEFAULT 1,
    "price" NUMERIC(10,2) NOT NULL,
    CONSTRAINT "pk_order_line" PRIMARY KEY ("order_id", "product_id"),
    CONSTRAINT "fk_order_line_order_id_orders" FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_line_product" FOREIGN KEY ("product_id") REFERENCES "product" ("id"),
    CONSTRAINT "ck_order_line_quantity_positive" CHECK (quantity > 0)
);
CREATE INDEX "ix_order_line_product_id" ON "order_line" ("product_id");
