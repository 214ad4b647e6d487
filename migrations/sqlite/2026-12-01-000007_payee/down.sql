DROP TABLE payee;
