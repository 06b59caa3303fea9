//! Cross-cutting HTTP conventions: problem documents, request ids, limits, health.
