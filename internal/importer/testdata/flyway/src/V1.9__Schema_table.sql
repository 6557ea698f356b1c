CREATE TABLE ${schema}.settings (k TEXT PRIMARY KEY, v TEXT);
