//! Client methods for fulfilment: reviews and statistics, couriers, dispatch, positions,
//! tracking, and the live event stream of an order (`text/event-stream`).

use mercato_core::ids::{MerchantId, OrderId};
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
            stream: EventStream::of(response),
        })
    }

    /// `GET /api/merchants/{id}/orders/events`: opens the merchant's order stream (its staff
    /// and admins): new orders and every status change of its orders. There is no replay:
    /// read [`Client::merchant_orders`] after opening it for the current queue.
    ///
    /// # Errors
    /// `orders.staff_only` (403), `merchants.not_found` (404), `tracking.too_many_streams`
    /// (429), `http.busy` (503) — when the stream cannot be opened.
    pub async fn merchant_order_events(&self, merchant: MerchantId) -> Result<MerchantOrderEvents> {
        let response = self
            .send(
                self.request(
                    Method::GET,
                    &format!("/api/merchants/{merchant}/orders/events"),
                )
                .header(ACCEPT, "text/event-stream"),
            )
            .await?;
        Ok(MerchantOrderEvents {
            stream: EventStream::of(response),
        })
    }
}

/// The body of an open event stream, split into events.
#[derive(Debug)]
struct EventStream {
    /// `None` once the stream has ended or failed.
    response: Option<Response>,
    parser: EventParser,
}

impl EventStream {
    fn of(response: Response) -> Self {
        Self {
            response: Some(response),
            parser: EventParser::default(),
        }
    }

    /// The next event; `None` when the server has ended the stream.
    async fn next(&mut self) -> Option<Result<RawEvent>> {
        loop {
            if let Some(event) = self.parser.next_event() {
                return Some(Ok(event));
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

fn decode<T: serde::de::DeserializeOwned>(data: &str) -> Result<T> {
    serde_json::from_str(data).map_err(|e| ClientError::Decode(format!("event data: {e}")))
}

/// An event of a merchant's order stream (see [`Client::merchant_order_events`]).
#[derive(Debug, Clone, PartialEq)]
pub enum MerchantOrderEvent {
    /// `order_placed`: a new order for the kitchen.
    OrderPlaced(Box<Order>),
    /// `status`: one of the merchant's orders changed status.
    Status(OrderUpdate),
}

/// An open stream of a merchant's orders (see [`Client::merchant_order_events`]).
#[derive(Debug)]
pub struct MerchantOrderEvents {
    stream: EventStream,
}

impl MerchantOrderEvents {
    /// The next event; `None` when the server has ended the stream (on shutdown, or when
    /// updates may have been missed: reconnect and read the queue again). Keep-alive
    /// comments are skipped.
    ///
    /// # Errors
    /// `ClientError::Transport` when the connection fails, `ClientError::Decode` for an event
    /// that does not parse; the stream is over after a transport error.
    pub async fn next(&mut self) -> Option<Result<MerchantOrderEvent>> {
        let event = match self.stream.next().await? {
            Ok(event) => event,
            Err(err) => return Some(Err(err)),
        };
        Some(match event.name.as_deref() {
            Some("order_placed") => decode(&event.data).map(MerchantOrderEvent::OrderPlaced),
            _ => decode(&event.data).map(MerchantOrderEvent::Status),
        })
    }
}

/// An open stream of an order's live updates (see [`Client::order_events`]).
#[derive(Debug)]
pub struct OrderEvents {
    stream: EventStream,
}

impl OrderEvents {
    /// The next update; `None` when the server has ended the stream (after a terminal
    /// status, or on shutdown). Keep-alive comments are skipped.
    ///
    /// # Errors
    /// `ClientError::Transport` when the connection fails, `ClientError::Decode` for an event
    /// that is not an update; the stream is over after a transport error.
    pub async fn next(&mut self) -> Option<Result<OrderUpdate>> {
        Some(
            self.stream
                .next()
                .await?
                .and_then(|event| decode(&event.data)),
        )
    }
}

/// One event of a stream: its name (the `event` field) and data.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RawEvent {
    name: Option<String>,
    data: String,
}

/// Splits a `text/event-stream` body into events, whatever the chunking. Lines end in `\n`
/// or `\r\n`; comments and fields other than `event` and `data` are ignored.
#[derive(Debug, Default)]
struct EventParser {
    /// Bytes received but not yet split into complete lines.
    pending: Vec<u8>,
    /// The `event` field of the event being read.
    name: Option<String>,
    /// The `data` lines of the event being read.
    data: Option<String>,
}

impl EventParser {
    fn feed(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
    }

    /// The next complete event in what was fed, if any.
    fn next_event(&mut self) -> Option<RawEvent> {
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let line = line.strip_suffix(b"\n").unwrap_or(&line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let line = String::from_utf8_lossy(line);
            if line.is_empty() {
                // A blank line ends the event; one without data (e.g. comments only) is none.
                let name = self.name.take();
                if let Some(data) = self.data.take() {
                    return Some(RawEvent { name, data });
                }
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((&line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            if field == "event" {
                self.name = Some(value.to_owned());
            } else if field == "data" {
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
            while let Some(event) = parser.next_event() {
                events.push(event.data);
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
    fn events_keep_their_names() {
        let mut parser = EventParser::default();
        parser.feed(b"event: order_placed\ndata: 1\n\ndata: 2\n\n");
        let names: Vec<Option<String>> = std::iter::from_fn(|| parser.next_event())
            .map(|event| event.name)
            .collect();
        assert_eq!(names, [Some("order_placed".to_owned()), None]);
    }

    #[test]
    fn an_unfinished_event_is_not_returned() {
        assert!(events_of(&[b"data: {\"a\":1}\n"]).is_empty());
    }
}
