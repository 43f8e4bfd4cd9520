"""The console's sign-in at the authorization server: the login form and its CSRF token,
login sessions, the failed-sign-in throttle and the cap on password checks. Uses the issuer
(its users, codes and token endpoint); the issuer never uses it."""
