//! `/api/users/...` end to end.
