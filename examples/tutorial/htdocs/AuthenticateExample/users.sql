-- The tutorial's users table; john's password is "secret" (stored as SHA-256).
CREATE TABLE users (name TEXT PRIMARY KEY, pw_sha256 TEXT NOT NULL);
INSERT INTO users VALUES ('john', '2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b');
