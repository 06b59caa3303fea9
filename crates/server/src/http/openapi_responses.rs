//! The problem responses an operation can give because of its shape, added to the OpenAPI
//! document by rule instead of being repeated on every handler. Every error response a
//! handler declares (by status and description only) gets the problem document as its body
//! here, once. The responses implied by the shape: an authenticated operation
//! can answer 401, an authenticated unsafe one 403 (the CSRF check on cookie credentials), one
//! with a JSON body 400, 413, 415 and 422, one with a path parameter 400 (a malformed id), one
//! with query parameters 422. Where two rules imply the same status — a path parameter and a
//! body both answer 400 — the operation gets one response whose description names both
//! causes. A response an operation declares itself — with its own, more precise description —
//! is kept.
//!
//! The rules run on the finished document, after every context's routes are merged: a
//! `modifiers(...)` entry on the top-level `#[derive(OpenApi)]` would run before any route
//! exists.

use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::schema::{ArrayBuilder, Schema};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, PartialSchema as _, ToSchema};

use crate::error::PROBLEM_JSON;
use mercato_core::Problem;
use mercato_core::ordering::ALLOWED_NEXT;

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

/// The `validation.failed` description, shared by the body and query rules so an operation
/// with both gets one 422.
const VALIDATION_FAILED: &str = "`validation.failed`, naming every invalid field in `errors`";

/// The response an operation gains from a path parameter (`ApiPath` rejects a malformed one).
const WITH_PATH_PARAMETER: [(&str, &str); 1] = [("400", "`http.invalid_path` (a malformed id)")];

/// The response an operation gains from query parameters (`ApiQuery` rejects invalid ones).
const WITH_QUERY: [(&str, &str); 1] = [("422", VALIDATION_FAILED)];

/// The responses an operation gains from taking a JSON body.
const WITH_BODY: [(&str, &str); 4] = [
    ("400", "`http.malformed_json` (the body is not JSON)"),
    (
        "413",
        "`http.payload_too_large`: the body is larger than allowed",
    ),
    (
        "415",
        "`http.unsupported_media_type`: the body is not declared `application/json`",
    ),
    ("422", VALIDATION_FAILED),
];

impl Modify for StandardResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        let mut used = false;
        for item in openapi.paths.paths.values_mut() {
            let shared = item.parameters.as_deref().unwrap_or_default();
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
                    used |= add_standard_responses(operation, shared, is_unsafe);
                }
            }
        }
        if used {
            include_problem_schema(openapi);
        }
        document_problem_extensions(openapi);
    }
}

/// Adds the responses `operation`'s shape implies (`shared` are its path item's parameters);
/// whether it added any.
fn add_standard_responses(
    operation: &mut Operation,
    shared: &[RefOr<Parameter>],
    is_unsafe: bool,
) -> bool {
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
    if takes_parameter(operation, shared, &ParameterIn::Path) {
        implied.extend(WITH_PATH_PARAMETER);
    }
    if takes_parameter(operation, shared, &ParameterIn::Query) {
        implied.extend(WITH_QUERY);
    }
    if operation.request_body.is_some() {
        implied.extend(WITH_BODY);
    }
    let mut added = give_errors_the_problem_body(operation);
    for (status, descriptions) in by_status(implied) {
        if !operation.responses.responses.contains_key(status) {
            operation.responses.responses.insert(
                status.to_owned(),
                problem_response(&descriptions.join(" or ")),
            );
            added = true;
        }
    }
    added
}

/// Gives every error response (4xx, 5xx) that `operation` declares without a body the
/// problem document as its body, so handlers state an error response by its status and
/// description alone; whether it gave any.
fn give_errors_the_problem_body(operation: &mut Operation) -> bool {
    let mut given = false;
    for (status, response) in &mut operation.responses.responses {
        if let RefOr::T(response) = response
            && (status.starts_with('4') || status.starts_with('5'))
            && response.content.is_empty()
        {
            response.content.insert(
                PROBLEM_JSON.to_owned(),
                RefOr::T(
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(Problem::name())))
                        .build(),
                ),
            );
            given = true;
        }
    }
    given
}

/// Whether `operation` takes a parameter `location`, itself or through its path item.
/// Parameters by reference are not followed: the document declares none.
fn takes_parameter(
    operation: &Operation,
    shared: &[RefOr<Parameter>],
    location: &ParameterIn,
) -> bool {
    operation
        .parameters
        .iter()
        .flatten()
        .chain(shared)
        .any(|parameter| matches!(parameter, RefOr::T(p) if p.parameter_in == *location))
}

/// `implied` grouped by status, in first-seen order, each description once.
fn by_status<'a>(implied: Vec<(&'a str, &'a str)>) -> Vec<(&'a str, Vec<&'a str>)> {
    let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
    for (status, description) in implied {
        match grouped.iter_mut().find(|(seen, _)| *seen == status) {
            Some((_, descriptions)) if descriptions.contains(&description) => {}
            Some((_, descriptions)) => descriptions.push(description),
            None => grouped.push((status, vec![description])),
        }
    }
    grouped
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

/// The extension members contexts add to problem documents ([`DomainError::extensions`]
/// in core), documented on the `Problem` schema: the core type names no context's types.
///
/// [`DomainError::extensions`]: mercato_core::DomainError::extensions
const PROBLEM_EXTENSIONS: [(&str, &str, &str); 1] = [(
    ALLOWED_NEXT,
    "OrderStatus",
    "For `orders.illegal_transition`: the statuses the caller could move the order to from \
     where it is now (empty when none).",
)];

/// Adds [`PROBLEM_EXTENSIONS`] to the `Problem` schema, where the document has it.
fn document_problem_extensions(openapi: &mut OpenApi) {
    let Some(RefOr::T(Schema::Object(problem))) = openapi
        .components
        .as_mut()
        .and_then(|components| components.schemas.get_mut(Problem::name().as_ref()))
    else {
        return;
    };
    for (name, item_schema, description) in PROBLEM_EXTENSIONS {
        let member = ArrayBuilder::new()
            .items(Ref::from_schema_name(item_schema))
            .description(Some(description))
            .build();
        problem.properties.insert(name.to_owned(), member.into());
    }
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::path::{
        HttpMethod, OperationBuilder, ParameterBuilder, PathItem, PathsBuilder,
    };
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
    fn a_declared_error_response_gets_the_problem_body_and_a_success_none() {
        let mut openapi = document();

        StandardResponses.modify(&mut openapi);

        let responses = &openapi.paths.paths["/secured-write"]
            .post
            .as_ref()
            .expect("post")
            .responses
            .responses;
        let (RefOr::T(declared), RefOr::T(success)) = (&responses["422"], &responses["200"]) else {
            panic!("inline responses expected");
        };
        assert_eq!(declared.description, "declared");
        assert_eq!(declared.content.keys().collect::<Vec<_>>(), [PROBLEM_JSON]);
        assert!(success.content.is_empty());
    }

    #[test]
    fn the_problem_schema_is_included() {
        let mut openapi = document();

        StandardResponses.modify(&mut openapi);

        let schemas = &openapi.components.expect("components").schemas;
        assert!(schemas.contains_key("Problem") && schemas.contains_key("FieldError"));
    }

    /// A document whose operations take parameters: a read by id, a write by id with a
    /// body, a search by query, and a read by id that declares its own 400.
    fn document_with_parameters() -> OpenApi {
        let ok = || {
            ResponsesBuilder::new()
                .response("200", ResponseBuilder::new().description("ok").build())
        };
        let parameter = |name: &str, location: ParameterIn| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(location)
                .build()
        };
        let paths = PathsBuilder::new()
            .path(
                "/things/{id}",
                PathItem::new(
                    HttpMethod::Get,
                    OperationBuilder::new()
                        .responses(ok())
                        .parameter(parameter("id", ParameterIn::Path)),
                ),
            )
            .path(
                "/things/{id}/notes",
                PathItem::new(
                    HttpMethod::Post,
                    OperationBuilder::new()
                        .responses(ok())
                        .parameter(parameter("id", ParameterIn::Path))
                        .parameter(parameter("dryRun", ParameterIn::Query))
                        .request_body(Some(RequestBodyBuilder::new().build())),
                ),
            )
            .path(
                "/things",
                PathItem::new(
                    HttpMethod::Get,
                    OperationBuilder::new()
                        .responses(ok())
                        .parameter(parameter("q", ParameterIn::Query)),
                ),
            )
            .path(
                "/codes/{code}",
                PathItem::new(
                    HttpMethod::Get,
                    OperationBuilder::new()
                        .responses(ok().response(
                            "400",
                            ResponseBuilder::new().description("declared").build(),
                        ))
                        .parameter(parameter("code", ParameterIn::Path)),
                ),
            );
        OpenApiBuilder::new().paths(paths).build()
    }

    fn description(openapi: &OpenApi, path: &str, method: HttpMethod, status: &str) -> String {
        let item = &openapi.paths.paths[path];
        let operation = match method {
            HttpMethod::Get => item.get.as_ref(),
            HttpMethod::Post => item.post.as_ref(),
            _ => None,
        }
        .expect("operation");
        let RefOr::T(response) = &operation.responses.responses[status] else {
            panic!("inline response expected");
        };
        response.description.clone()
    }

    #[test]
    fn a_path_parameter_implies_400_for_a_malformed_id() {
        let mut openapi = document_with_parameters();

        StandardResponses.modify(&mut openapi);

        assert_eq!(
            statuses(&openapi, "/things/{id}", HttpMethod::Get),
            ["200", "400"]
        );
        assert_eq!(
            description(&openapi, "/things/{id}", HttpMethod::Get, "400"),
            "`http.invalid_path` (a malformed id)"
        );
    }

    #[test]
    fn query_parameters_imply_422() {
        let mut openapi = document_with_parameters();

        StandardResponses.modify(&mut openapi);

        assert_eq!(
            statuses(&openapi, "/things", HttpMethod::Get),
            ["200", "422"]
        );
        assert_eq!(
            description(&openapi, "/things", HttpMethod::Get, "422"),
            VALIDATION_FAILED
        );
    }

    #[test]
    fn a_path_parameter_and_a_body_share_one_400_naming_both() {
        let mut openapi = document_with_parameters();

        StandardResponses.modify(&mut openapi);

        assert_eq!(
            statuses(&openapi, "/things/{id}/notes", HttpMethod::Post),
            ["200", "400", "413", "415", "422"]
        );
        assert_eq!(
            description(&openapi, "/things/{id}/notes", HttpMethod::Post, "400"),
            "`http.invalid_path` (a malformed id) or `http.malformed_json` (the body is not JSON)"
        );
        assert_eq!(
            description(&openapi, "/things/{id}/notes", HttpMethod::Post, "422"),
            VALIDATION_FAILED
        );
    }

    #[test]
    fn a_declared_400_is_kept_for_a_path_parameter() {
        let mut openapi = document_with_parameters();

        StandardResponses.modify(&mut openapi);

        assert_eq!(
            description(&openapi, "/codes/{code}", HttpMethod::Get, "400"),
            "declared"
        );
    }

    #[test]
    fn path_item_parameters_count_for_its_operations() {
        let mut item = PathItem::new(
            HttpMethod::Get,
            OperationBuilder::new().responses(
                ResponsesBuilder::new()
                    .response("200", ResponseBuilder::new().description("ok").build()),
            ),
        );
        item.parameters = Some(vec![RefOr::T(
            ParameterBuilder::new()
                .name("id")
                .parameter_in(ParameterIn::Path)
                .build(),
        )]);
        let mut openapi = OpenApiBuilder::new()
            .paths(PathsBuilder::new().path("/shared/{id}", item))
            .build();

        StandardResponses.modify(&mut openapi);

        assert_eq!(
            statuses(&openapi, "/shared/{id}", HttpMethod::Get),
            ["200", "400"]
        );
    }
}
