"""The browser pages, one module per kind of user: sign-in, front desk, review, departments, archive."""
