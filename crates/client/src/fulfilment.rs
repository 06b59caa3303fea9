//! Client methods for fulfilment: reviews and statistics, couriers, dispatch, positions,
//! tracking, and the live event stream of an order (`text/event-stream`).

use mercato_core::ids::OrderId;
use mercato_core::ordering::{
    AssignCourierRequest, CourierStatus, CourierStatusUpdate, Order, OrderListParams, OrderReview,
    OrderStats, OrderUpdate, PositionUpdate, ReviewRequest, StatsParams, TrackingInfo,
};
use mercato_core::page::Page;
use reqwest::header::ACCEPT;
use reqwest::{Method, Response};

use crate::{Client, ClientError, Result};

impl Client {
    /// `POST /api/orders/{id}/review`: the customer reviews a delivered order, once.
    ///
    /// # Errors
    /// `reviews.customers_only` (403), `orders.not_found` (404), `reviews.not_delivered` and
    /// `reviews.already_reviewed` (409), `validation.failed` (422).
    pub async fn review_order(&self, id: OrderId, request: &ReviewRequest) -> Result<OrderReview> {
        self.call_with(Method::POST, &format!("/api/orders/{id}/review"), request)
            .await
    }

    /// `GET /api/orders/stats`: a merchant's order statistics (or the marketplace's, for
    /// admins).
    ///
    /// # Errors
    /// `orders.stats_forbidden` (403), `merchants.not_found` (404), `validation.failed`
    /// (422).
    pub async fn order_stats(&self, params: &StatsParams) -> Result<OrderStats> {
        self.json(self.request(Method::GET, "/api/orders/stats").query(params))
            .await
    }

    /// `PUT /api/couriers/me/status`: the calling courier goes online or offline.
    ///
    /// # Errors
    /// `couriers.couriers_only` (403), `validation.failed` (422).
    pub async fn set_courier_status(&self, update: &CourierStatusUpdate) -> Result<CourierStatus> {
        self.call_with(Method::PUT, "/api/couriers/me/status", update)
            .await
    }

    /// `GET /api/couriers/me/orders`: the orders assigned to the calling courier, newest
    /// first.
    ///
    /// # Errors
    /// `couriers.couriers_only` (403), `validation.failed` (422).
    pub async fn courier_orders(&self, params: &OrderListParams) -> Result<Page<Order>> {
        self.json(
            self.request(Method::GET, "/api/couriers/me/orders")
                .query(params),
        )
        .await
    }

    /// `POST /api/orders/{id}/assign-courier`: assigns the courier named in `request`, or the
    /// nearest available one when it names none.
    ///
    /// # Errors
    /// `orders.forbidden_transition` (403), `orders.not_found` (404),
    /// `orders.not_assignable`, `couriers.unavailable` and `couriers.none_available` (409).
    pub async fn assign_courier(
        &self,
        id: OrderId,
        request: &AssignCourierRequest,
    ) -> Result<Order> {
        self.call_with(
            Method::POST,
            &format!("/api/orders/{id}/assign-courier"),
            request,
        )
        .await
    }

    /// `POST /api/orders/{id}/location`: the assigned courier reports a position.
    ///
    /// # Errors
    /// `tracking.not_assigned_courier` (403), `orders.not_found` (404),
    /// `tracking.order_not_active` (409), `validation.failed` (422),
    /// `tracking.too_frequent` (429, with `retry_after`).
    pub async fn post_location(&self, id: OrderId, update: &PositionUpdate) -> Result<()> {
        self.call_empty(
            Method::POST,
            &format!("/api/orders/{id}/location"),
            Some(update),
        )
        .await
    }

    /// `GET /api/orders/{id}/tracking`: status, timeline, courier, distance and ETA.
    ///
    /// # Errors
    /// `orders.not_found` (404).
    pub async fn tracking(&self, id: OrderId) -> Result<TrackingInfo> {
        self.call(Method::GET, &format!("/api/orders/{id}/tracking"))
            .await
    }

    /// `GET /api/orders/{id}/events`: opens the order's live event stream. The first update
    /// is the order's current status.
    ///
    /// # Errors
    /// `orders.not_found` (404), `http.busy` (503) — when the stream cannot be opened.
    pub async fn order_events(&self, id: OrderId) -> Result<OrderEvents> {
        let response = self
            .send(
                self.request(Method::GET, &format!("/api/orders/{id}/events"))
                    .header(ACCEPT, "text/event-stream"),
            )
            .await?;
        Ok(OrderEvents {
            response: Some(response),
            parser: EventParser::default(),
        })
    }
}

/// An open stream of an order's live updates (see [`Client::order_events`]).
#[derive(Debug)]
pub struct OrderEvents {
    /// `None` once the stream has ended or failed.
    response: Option<Response>,
    parser: EventParser,
}

impl OrderEvents {
    /// The next update; `None` when the server has ended the stream (after a terminal
    /// status, or on shutdown). Keep-alive comments are skipped.
    ///
    /// # Errors
    /// `ClientError::Transport` when the connection fails, `ClientError::Decode` for an event
    /// that is not an update; the stream is over after a transport error.
    pub async fn next(&mut self) -> Option<Result<OrderUpdate>> {
        loop {
            if let Some(data) = self.parser.next_event() {
                return Some(
                    serde_json::from_str(&data)
                        .map_err(|e| ClientError::Decode(format!("event data: {e}"))),
                );
            }
            let response = self.response.as_mut()?;
            match response.chunk().await {
                Ok(Some(chunk)) => self.parser.feed(&chunk),
                Ok(None) => {
                    // An event cut off by the end of the stream is dropped, as browsers do.
                    self.response = None;
                    return None;
                }
                Err(err) => {
                    self.response = None;
                    return Some(Err(err.into()));
                }
            }
        }
    }
}

/// Splits a `text/event-stream` body into events' data, whatever the chunking. Lines end in
/// `\n` or `\r\n`; comments and fields other than `data` are ignored (the update's JSON
/// names its type itself).
#[derive(Debug, Default)]
struct EventParser {
    /// Bytes received but not yet split into complete lines.
    pending: Vec<u8>,
    /// The `data` lines of the event being read.
    data: Option<String>,
}

impl EventParser {
    fn feed(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
    }

    /// The data of the next complete event in what was fed, if any.
    fn next_event(&mut self) -> Option<String> {
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let line = line.strip_suffix(b"\n").unwrap_or(&line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let line = String::from_utf8_lossy(line);
            if line.is_empty() {
                // A blank line ends the event; one without data (e.g. comments only) is none.
                if let Some(data) = self.data.take() {
                    return Some(data);
                }
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((&line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            if field == "data" {
                match &mut self.data {
                    Some(data) => {
                        data.push('\n');
                        data.push_str(value);
                    }
                    None => self.data = Some(value.to_owned()),
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events_of(chunks: &[&[u8]]) -> Vec<String> {
        let mut parser = EventParser::default();
        let mut events = Vec::new();
        for chunk in chunks {
            parser.feed(chunk);
            while let Some(data) = parser.next_event() {
                events.push(data);
            }
        }
        events
    }

    #[test]
    fn events_are_separated_by_blank_lines() {
        let events =
            events_of(&[b"event: status\ndata: {\"a\":1}\n\nevent: position\ndata: 2\n\n"]);
        assert_eq!(events, ["{\"a\":1}", "2"]);
    }

    #[test]
    fn an_event_split_across_chunks_is_reassembled() {
        let events = events_of(&[b"event: sta", b"tus\ndata: {\"a\"", b":1}\r", b"\n\r\n"]);
        assert_eq!(events, ["{\"a\":1}"]);
    }

    #[test]
    fn comments_and_keep_alives_are_not_events() {
        let events = events_of(&[b":\n\n: keep-alive\n\nid: 7\nretry: 10\n\ndata: x\n\n"]);
        assert_eq!(events, ["x"]);
    }

    #[test]
    fn data_lines_of_one_event_are_joined_by_newlines() {
        let events = events_of(&[b"data: a\ndata:b\n\n"]);
        assert_eq!(events, ["a\nb"]);
    }

    #[test]
    fn an_unfinished_event_is_not_returned() {
        assert!(events_of(&[b"data: {\"a\":1}\n"]).is_empty());
    }
}
