-- +goose Up
-- +goose StatementBegin
CREATE PROCEDURE pick(IN x INT)
IF x = 1 THEN
    SELECT 1;
ELSE
    SELECT 2;
END IF;
-- +goose StatementEnd

-- +goose Down
DROP PROCEDURE pick;
