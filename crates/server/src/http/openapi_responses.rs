//! The problem responses an operation can give because of its shape, added to the OpenAPI
//! document by rule instead of being repeated on every handler: an authenticated operation
//! can answer 401, an authenticated unsafe one 403 (the CSRF check on cookie credentials), one
//! with a JSON body 400, 413, 415 and 422. A response an operation declares itself — with
//! its own, more precise description — is kept.
//!
//! The rules run on the finished document, after every context's routes are merged: a
//! `modifiers(...)` entry on the top-level `#[derive(OpenApi)]` would run before any route
//! exists.

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, PartialSchema as _, ToSchema};

use crate::error::PROBLEM_JSON;
use mercato_core::Problem;

/// Adds the standard problem responses to every operation (see the module documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct StandardResponses;

/// The responses an operation gains from being authenticated.
const AUTHENTICATED: [(&str, &str); 1] = [(
    "401",
    "`auth.unauthenticated` (no credentials), `auth.token_expired` or `auth.session_ended`",
)];

/// The response an authenticated unsafe operation gains from the CSRF check.
const AUTHENTICATED_UNSAFE: [(&str, &str); 1] = [(
    "403",
    "`auth.csrf_rejected`: a cookie-authenticated request from an origin not allowed",
)];

/// The responses an operation gains from taking a JSON body.
const WITH_BODY: [(&str, &str); 4] = [
    ("400", "`http.malformed_json`: the body is not JSON"),
    (
        "413",
        "`http.payload_too_large`: the body is larger than allowed",
    ),
    (
        "415",
        "`http.unsupported_media_type`: the body is not declared `application/json`",
    ),
    (
        "422",
        "`validation.failed`, naming every invalid field in `errors`",
    ),
];

impl Modify for StandardResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        let mut used = false;
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                (&mut item.get, false),
                (&mut item.head, false),
                (&mut item.options, false),
                (&mut item.trace, false),
                (&mut item.query, false),
                (&mut item.put, true),
                (&mut item.post, true),
                (&mut item.patch, true),
                (&mut item.delete, true),
            ];
            for (operation, is_unsafe) in operations {
                if let Some(operation) = operation {
                    used |= add_standard_responses(operation, is_unsafe);
                }
            }
        }
        if used {
            include_problem_schema(openapi);
        }
    }
}

/// Adds the responses `operation`'s shape implies; whether it added any.
fn add_standard_responses(operation: &mut Operation, is_unsafe: bool) -> bool {
    let authenticated = operation.security.as_ref().is_some_and(|requirements| {
        requirements
            .iter()
            .any(|requirement| *requirement != SecurityRequirement::default())
    });
    let mut implied: Vec<(&str, &str)> = Vec::new();
    if authenticated {
        implied.extend(AUTHENTICATED);
        if is_unsafe {
            implied.extend(AUTHENTICATED_UNSAFE);
        }
    }
    if operation.request_body.is_some() {
        implied.extend(WITH_BODY);
    }
    let mut added = false;
    for (status, description) in implied {
        if !operation.responses.responses.contains_key(status) {
            operation
                .responses
                .responses
                .insert(status.to_owned(), problem_response(description));
            added = true;
        }
    }
    added
}

fn problem_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(Problem::name())))
                .build(),
        )
        .build()
        .into()
}

/// Makes sure the `Problem` schema the added responses refer to is in the document.
fn include_problem_schema(openapi: &mut OpenApi) {
    let components = openapi.components.get_or_insert_with(Default::default);
    let mut schemas = vec![(Problem::name().into_owned(), Problem::schema())];
    Problem::schemas(&mut schemas);
    for (name, schema) in schemas {
        components.schemas.entry(name).or_insert(schema);
    }
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem, PathsBuilder};
    use utoipa::openapi::request_body::RequestBodyBuilder;
    use utoipa::openapi::{OpenApiBuilder, ResponsesBuilder};

    use super::*;

    fn statuses(openapi: &OpenApi, path: &str, method: HttpMethod) -> Vec<String> {
        let item = &openapi.paths.paths[path];
        let operation = match method {
            HttpMethod::Get => item.get.as_ref(),
            HttpMethod::Post => item.post.as_ref(),
            _ => None,
        }
        .expect("operation");
        operation.responses.responses.keys().cloned().collect()
    }

    fn document() -> OpenApi {
        let ok = || {
            ResponsesBuilder::new()
                .response("200", ResponseBuilder::new().description("ok").build())
        };
        let secured = || vec![SecurityRequirement::new("bearer", Vec::<String>::new())];
        let paths = PathsBuilder::new()
            .path(
                "/public",
                PathItem::new(HttpMethod::Get, OperationBuilder::new().responses(ok())),
            )
            .path(
                "/secured-read",
                PathItem::new(
                    HttpMethod::Get,
                    OperationBuilder::new()
                        .responses(ok())
                        .securities(Some(secured())),
                ),
            )
            .path(
                "/secured-write",
                PathItem::new(
                    HttpMethod::Post,
                    OperationBuilder::new()
                        .responses(ok().response(
                            "422",
                            ResponseBuilder::new().description("declared").build(),
                        ))
                        .securities(Some(secured()))
                        .request_body(Some(RequestBodyBuilder::new().build())),
                ),
            );
        OpenApiBuilder::new().paths(paths).build()
    }

    #[test]
    fn responses_are_added_by_shape() {
        let mut openapi = document();

        StandardResponses.modify(&mut openapi);

        assert_eq!(statuses(&openapi, "/public", HttpMethod::Get), ["200"]);
        assert_eq!(
            statuses(&openapi, "/secured-read", HttpMethod::Get),
            ["200", "401"]
        );
        assert_eq!(
            statuses(&openapi, "/secured-write", HttpMethod::Post),
            ["200", "400", "401", "403", "413", "415", "422"]
        );
    }

    #[test]
    fn a_declared_response_is_kept() {
        let mut openapi = document();

        StandardResponses.modify(&mut openapi);

        let declared = &openapi.paths.paths["/secured-write"]
            .post
            .as_ref()
            .expect("post")
            .responses
            .responses["422"];
        let RefOr::T(declared) = declared else {
            panic!("inline response expected");
        };
        assert_eq!(declared.description, "declared");
    }

    #[test]
    fn the_problem_schema_is_included() {
        let mut openapi = document();

        StandardResponses.modify(&mut openapi);

        let schemas = &openapi.components.expect("components").schemas;
        assert!(schemas.contains_key("Problem") && schemas.contains_key("FieldError"));
    }
}
