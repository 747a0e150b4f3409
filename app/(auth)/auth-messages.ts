// The words the sign-in pages and their actions share, so a page and an action never tell one case two ways.
export const SIGN_IN_FAILED = "That e-mail and password don't match an account.";
export const SIGN_IN_THROTTLED = "Too many failed sign-ins. Wait 15 minutes and try again.";
export const UNCONFIRMED = "Confirm your e-mail address first: open the link we mailed to you, or ask for a new one.";
export const INVALID_CONFIRMATION_LINK =
  "This confirmation link is not valid any more (used, expired or replaced by a newer one). Sign in to ask for a new one.";
export const WRONG_CONFIRMATION_PASSWORD = "That is not the password this account was created with.";
export const NO_MAIL =
  "This server has no mail set up, so it can't confirm new accounts. Ask whoever runs it to set SMTP_URL.";
