//! The process-wide hub of live order updates. One background task owns the store's
//! `LISTEN` connection and fans every update out to the watchers of its order, so a
//! process holds one database connection for all its event streams, however many there
//! are. Updates posted to another process arrive through PostgreSQL `NOTIFY` all the same.
//!
//! A stream must never silently miss an update: a watcher that missed `delivered` would
//! wait forever. So whenever updates may have been missed — the listening connection was
//! lost, or a watcher fell too far behind — the streams concerned end, and their clients
//! reconnect and start again from the order's current status.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::ids::{MerchantId, OrderId, UserId};
use mercato_core::ordering::OrderUpdate;
use mercato_store_postgres::{OrderUpdateListener, PgStore};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, broadcast};

/// Updates buffered per order for a slow watcher; the stream of one that falls further
/// behind ends.
const PER_ORDER_BUFFER: usize = 64;

/// The most event streams one user may have open at once (in this process).
pub const MAX_STREAMS_PER_USER: usize = 5;

/// The first wait before reconnecting a lost listener; it doubles up to [`MAX_BACKOFF`].
pub(crate) const FIRST_BACKOFF: Duration = Duration::from_millis(500);

/// The longest wait between reconnection attempts.
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Where live updates come from: a connection that yields every update committed by any
/// process.
#[async_trait]
pub trait UpdateFeed: Send + Sync {
    /// Opens a listening connection.
    ///
    /// # Errors
    /// When the connection cannot be opened.
    async fn listen(&self) -> Result<Box<dyn UpdateStream>, StoreError>;
}

/// What a listening connection yields.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedEvent {
    /// An update committed by some process.
    Update(OrderUpdate),
    /// The connection was lost and has been re-established: updates committed in between
    /// were missed.
    Gap,
}

/// One listening connection.
#[async_trait]
pub trait UpdateStream: Send {
    /// The next update, or the news that some were missed.
    ///
    /// # Errors
    /// When the connection fails for good (updates may have been missed); the hub then
    /// opens a new one.
    async fn recv(&mut self) -> Result<FeedEvent, StoreError>;
}

#[async_trait]
impl UpdateFeed for PgStore {
    async fn listen(&self) -> Result<Box<dyn UpdateStream>, StoreError> {
        Ok(Box::new(self.order_update_listener().await?))
    }
}

#[async_trait]
impl UpdateStream for OrderUpdateListener {
    async fn recv(&mut self) -> Result<FeedEvent, StoreError> {
        Ok(match self.try_recv().await? {
            Some(update) => FeedEvent::Update(update),
            None => FeedEvent::Gap,
        })
    }
}

/// Fans live updates out to per-order channels. Cheap to clone; clones share the channels.
#[derive(Debug, Clone)]
pub struct LiveHub {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    channels: Mutex<Channels>,
    streams: Arc<Semaphore>,
    /// How many streams each user has open; users without any are absent.
    streams_by_user: Mutex<HashMap<UserId, usize>>,
}

/// What a subscription follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Topic {
    /// One order's updates.
    Order(OrderId),
    /// The status changes of one merchant's orders (new orders included).
    Merchant(MerchantId),
}

#[derive(Debug, Default)]
struct Channels {
    by_topic: HashMap<Topic, broadcast::Sender<OrderUpdate>>,
    /// Set on shutdown: no channel is opened any more, so every stream ends.
    closed: bool,
}

impl LiveHub {
    /// A hub admitting at most `max_streams` concurrent event streams, and at most
    /// [`MAX_STREAMS_PER_USER`] of them per user.
    #[must_use]
    pub fn new(max_streams: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                channels: Mutex::default(),
                streams: Arc::new(Semaphore::new(max_streams)),
                streams_by_user: Mutex::default(),
            }),
        }
    }

    /// A place for one more event stream of `user`, held for as long as the stream lives.
    ///
    /// # Errors
    /// [`StreamRefused::TooManyForUser`] when `user` already has
    /// [`MAX_STREAMS_PER_USER`] streams open, [`StreamRefused::Busy`] when the process
    /// already serves as many as it allows.
    pub fn admit_stream(&self, user: UserId) -> Result<StreamPermit, StreamRefused> {
        let mut by_user = self.streams_by_user();
        let open = by_user.get(&user).copied().unwrap_or(0);
        if open >= MAX_STREAMS_PER_USER {
            return Err(StreamRefused::TooManyForUser);
        }
        let global = self
            .inner
            .streams
            .clone()
            .try_acquire_owned()
            .map_err(|_| StreamRefused::Busy)?;
        by_user.insert(user, open + 1);
        Ok(StreamPermit {
            hub: self.clone(),
            user,
            _global: global,
        })
    }

    fn streams_by_user(&self) -> std::sync::MutexGuard<'_, HashMap<UserId, usize>> {
        self.inner
            .streams_by_user
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn channels(&self) -> std::sync::MutexGuard<'_, Channels> {
        self.inner
            .channels
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts receiving `order`'s updates. Subscribe before reading the order's current
    /// state, so nothing committed in between is missed.
    #[must_use]
    pub fn subscribe(&self, order: OrderId) -> Subscription {
        self.subscribe_to(Topic::Order(order))
    }

    /// Starts receiving the status changes of `merchant`'s orders, new orders included.
    /// Subscribe before reading the merchant's queue, so nothing committed in between is
    /// missed.
    #[must_use]
    pub fn subscribe_merchant(&self, merchant: MerchantId) -> Subscription {
        self.subscribe_to(Topic::Merchant(merchant))
    }

    fn subscribe_to(&self, topic: Topic) -> Subscription {
        let mut channels = self.channels();
        let receiver = if channels.closed {
            // A channel whose sender is gone: the subscriber sees the end at once.
            broadcast::channel(1).0.subscribe()
        } else {
            channels
                .by_topic
                .entry(topic)
                .or_insert_with(|| broadcast::channel(PER_ORDER_BUFFER).0)
                .subscribe()
        };
        Subscription {
            hub: self.clone(),
            topic,
            receiver: Some(receiver),
        }
    }

    /// Hands `update` to its order's watchers in this process, if any, and a status change
    /// to its merchant's watchers.
    pub fn publish(&self, update: OrderUpdate) {
        let merchant = match &update {
            OrderUpdate::Status {
                merchant_id: Some(merchant),
                ..
            } => Some(Topic::Merchant(*merchant)),
            _ => None,
        };
        let mut channels = self.channels();
        for topic in std::iter::once(Topic::Order(update.order_id())).chain(merchant) {
            if let Some(sender) = channels.by_topic.get(&topic)
                && sender.send(update.clone()).is_err()
            {
                // Nobody listens any more.
                channels.by_topic.remove(&topic);
            }
        }
    }

    /// Ends every current stream (dropping its channel); new ones are still opened. For
    /// when updates may have been missed: the clients reconnect and start again from the
    /// current status.
    pub fn end_streams(&self) {
        self.channels().by_topic.clear();
    }

    /// Ends every stream and refuses new ones (on shutdown, so graceful shutdown does not
    /// wait for streams that would never end).
    pub fn close(&self) {
        let mut channels = self.channels();
        channels.closed = true;
        channels.by_topic.clear();
    }

    /// Drops `topic`'s channel if nobody in the process watches it any more.
    fn forget_if_unwatched(&self, topic: Topic) {
        let mut channels = self.channels();
        if channels
            .by_topic
            .get(&topic)
            .is_some_and(|sender| sender.receiver_count() == 0)
        {
            channels.by_topic.remove(&topic);
        }
    }

    /// How many orders have watchers in this process.
    #[must_use]
    pub fn watched_orders(&self) -> usize {
        self.channels()
            .by_topic
            .keys()
            .filter(|topic| matches!(topic, Topic::Order(_)))
            .count()
    }

    /// How many merchants have watchers of their orders in this process.
    #[must_use]
    pub fn watched_merchants(&self) -> usize {
        self.channels()
            .by_topic
            .keys()
            .filter(|topic| matches!(topic, Topic::Merchant(_)))
            .count()
    }

    /// Receives updates from `feed` and publishes them until `stop` completes, then closes
    /// the hub. A failing connection is logged and reopened with exponential backoff.
    ///
    /// Updates committed while no connection listened are not replayed, so no stream may
    /// outlive such a gap: every stream ends when the connection is lost (or the feed
    /// reports a gap), and the streams opened while none listened (including before the
    /// first connection) end once one does. Their clients reconnect and start again from
    /// the current status.
    pub async fn run(self, feed: Arc<dyn UpdateFeed>, stop: impl Future<Output = ()> + Send) {
        tokio::pin!(stop);
        let mut backoff = FIRST_BACKOFF;
        loop {
            let listening = tokio::select! {
                () = &mut stop => break,
                listening = feed.listen() => listening,
            };
            match listening {
                Ok(mut stream) => {
                    // Streams opened while nothing listened may have missed updates.
                    self.end_streams();
                    loop {
                        let received = tokio::select! {
                            () = &mut stop => {
                                self.close();
                                return;
                            }
                            received = stream.recv() => received,
                        };
                        match received {
                            Ok(FeedEvent::Update(update)) => {
                                backoff = FIRST_BACKOFF;
                                self.publish(update);
                            }
                            Ok(FeedEvent::Gap) => {
                                tracing::warn!(
                                    "live update listener reconnected; ending every event stream, \
                                     as updates may have been missed"
                                );
                                self.end_streams();
                            }
                            Err(err) => {
                                tracing::warn!(
                                    error = %err,
                                    "live update listener failed; ending every event stream and reconnecting"
                                );
                                self.end_streams();
                                break;
                            }
                        }
                    }
                }
                Err(err) => {
                    tracing::warn!(error = %err, "opening the live update listener failed; retrying");
                }
            }
            tokio::select! {
                () = &mut stop => break,
                () = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
        self.close();
    }
}

/// Why [`LiveHub::admit_stream`] refused a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamRefused {
    /// The process serves as many streams as it allows.
    Busy,
    /// The user has [`MAX_STREAMS_PER_USER`] streams open already.
    TooManyForUser,
}

/// One event stream's place under the process's and its user's caps, given back when
/// dropped.
#[derive(Debug)]
pub struct StreamPermit {
    hub: LiveHub,
    user: UserId,
    _global: OwnedSemaphorePermit,
}

impl Drop for StreamPermit {
    fn drop(&mut self) {
        let mut by_user = self.hub.streams_by_user();
        if let Some(open) = by_user.get_mut(&self.user) {
            *open -= 1;
            if *open == 0 {
                by_user.remove(&self.user);
            }
        }
    }
}

/// One watcher's feed of an order's (or a merchant's orders') updates. Dropping it forgets
/// the channel once nobody else in the process watches the same.
#[derive(Debug)]
pub struct Subscription {
    hub: LiveHub,
    topic: Topic,
    receiver: Option<broadcast::Receiver<OrderUpdate>>,
}

impl Subscription {
    /// The next update; `None` once the feed is over: the hub has closed or ended the
    /// streams, or this watcher fell so far behind that it missed updates (it may have
    /// missed a terminal status, so it must start again from the current one).
    pub async fn recv(&mut self) -> Option<OrderUpdate> {
        let receiver = self.receiver.as_mut()?;
        match receiver.recv().await {
            Ok(update) => Some(update),
            Err(broadcast::error::RecvError::Lagged(skipped)) => {
                tracing::debug!(topic = ?self.topic, skipped, "slow watcher missed live updates; ending its stream");
                // Stay ended, and let the channel go if nobody else watches.
                self.receiver = None;
                self.hub.forget_if_unwatched(self.topic);
                None
            }
            Err(broadcast::error::RecvError::Closed) => {
                self.receiver = None;
                None
            }
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if self.receiver.take().is_some() {
            self.hub.forget_if_unwatched(self.topic);
        }
    }
}

#[cfg(test)]
mod tests {
    use mercato_core::ordering::OrderStatus;
    use time::OffsetDateTime;
    use tokio::sync::{mpsc, oneshot};
    use tokio::task::JoinHandle;

    use super::*;

    fn status(order: OrderId, status: OrderStatus) -> OrderUpdate {
        OrderUpdate::Status {
            order_id: order,
            status,
            reason: None,
            at: OffsetDateTime::UNIX_EPOCH,
            merchant_id: None,
        }
    }

    type Connection = mpsc::Receiver<Result<FeedEvent, StoreError>>;

    /// A feed whose connections yield what the test sends; a connection whose sender is
    /// dropped fails, and one the test sends `Err` to fails opening.
    struct TestFeed {
        connections: tokio::sync::Mutex<mpsc::Receiver<Result<Connection, StoreError>>>,
    }

    struct TestStream(Connection);

    #[async_trait]
    impl UpdateFeed for TestFeed {
        async fn listen(&self) -> Result<Box<dyn UpdateStream>, StoreError> {
            match self.connections.lock().await.recv().await {
                Some(connection) => Ok(Box::new(TestStream(connection?))),
                None => std::future::pending().await,
            }
        }
    }

    #[async_trait]
    impl UpdateStream for TestStream {
        async fn recv(&mut self) -> Result<FeedEvent, StoreError> {
            match self.0.recv().await {
                Some(event) => event,
                None => Err(StoreError::Backend("connection lost".into())),
            }
        }
    }

    /// A hub running on a [`TestFeed`]: connect through the sender, stop through the
    /// oneshot.
    fn running(
        hub: &LiveHub,
    ) -> (
        mpsc::Sender<Result<Connection, StoreError>>,
        oneshot::Sender<()>,
        JoinHandle<()>,
    ) {
        let (connect, connections) = mpsc::channel(4);
        let feed = Arc::new(TestFeed {
            connections: tokio::sync::Mutex::new(connections),
        });
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let task = tokio::spawn(hub.clone().run(feed, async move {
            let _ = stop_rx.await;
        }));
        (connect, stop_tx, task)
    }

    /// Opens a connection to the running hub and waits until the hub listens on it: it
    /// then has ended the streams opened before, as `probe` (subscribed before) shows.
    async fn connect(
        hub: &LiveHub,
        connect: &mpsc::Sender<Result<Connection, StoreError>>,
    ) -> mpsc::Sender<Result<FeedEvent, StoreError>> {
        let mut probe = hub.subscribe(OrderId::new());
        let (tx, rx) = mpsc::channel(4);
        connect.send(Ok(rx)).await.expect("connect");
        assert_eq!(probe.recv().await, None, "streams from before are ended");
        tx
    }

    async fn send(connection: &mpsc::Sender<Result<FeedEvent, StoreError>>, event: FeedEvent) {
        connection.send(Ok(event)).await.expect("send");
    }

    #[tokio::test]
    async fn a_watcher_receives_only_its_orders_updates() {
        let hub = LiveHub::new(10);
        let (mine, other) = (OrderId::new(), OrderId::new());
        let mut subscription = hub.subscribe(mine);

        hub.publish(status(other, OrderStatus::Accepted));
        hub.publish(status(mine, OrderStatus::Preparing));

        assert_eq!(
            subscription.recv().await,
            Some(status(mine, OrderStatus::Preparing))
        );
    }

    fn status_at(order: OrderId, merchant: MerchantId, status: OrderStatus) -> OrderUpdate {
        OrderUpdate::Status {
            order_id: order,
            status,
            reason: None,
            at: OffsetDateTime::UNIX_EPOCH,
            merchant_id: Some(merchant),
        }
    }

    #[tokio::test]
    async fn a_merchants_watcher_receives_the_status_changes_of_its_orders_only() {
        let hub = LiveHub::new(10);
        let (mine, other) = (MerchantId::new(), MerchantId::new());
        let order = OrderId::new();
        let mut kitchen = hub.subscribe_merchant(mine);
        let mut customer = hub.subscribe(order);

        hub.publish(status_at(OrderId::new(), other, OrderStatus::Placed));
        hub.publish(OrderUpdate::CourierAssigned {
            order_id: order,
            first_name: "Kim".to_owned(),
        });
        hub.publish(status_at(order, mine, OrderStatus::Accepted));

        assert_eq!(
            kitchen.recv().await,
            Some(status_at(order, mine, OrderStatus::Accepted))
        );
        assert!(matches!(
            customer.recv().await,
            Some(OrderUpdate::CourierAssigned { .. })
        ));
        assert_eq!(
            customer.recv().await,
            Some(status_at(order, mine, OrderStatus::Accepted))
        );
        assert_eq!((hub.watched_merchants(), hub.watched_orders()), (1, 1));
        drop(kitchen);
        assert_eq!(hub.watched_merchants(), 0);
    }

    #[tokio::test]
    async fn the_channel_goes_when_its_last_watcher_does() {
        let hub = LiveHub::new(10);
        let order = OrderId::new();
        let first = hub.subscribe(order);
        let second = hub.subscribe(order);

        drop(first);
        assert_eq!(hub.watched_orders(), 1);
        drop(second);

        assert_eq!(hub.watched_orders(), 0);
    }

    #[tokio::test]
    async fn closing_the_hub_ends_every_stream_and_later_ones_at_once() {
        let hub = LiveHub::new(10);
        let order = OrderId::new();
        let mut before = hub.subscribe(order);

        hub.close();
        let mut after = hub.subscribe(order);

        assert_eq!(before.recv().await, None);
        assert_eq!(after.recv().await, None);
    }

    #[tokio::test]
    async fn ending_the_streams_ends_current_ones_but_not_later_ones() {
        let hub = LiveHub::new(10);
        let order = OrderId::new();
        let mut before = hub.subscribe(order);

        hub.end_streams();
        let mut after = hub.subscribe(order);
        hub.publish(status(order, OrderStatus::Preparing));

        assert_eq!(before.recv().await, None);
        assert_eq!(before.recv().await, None, "an ended stream stays ended");
        assert_eq!(
            after.recv().await,
            Some(status(order, OrderStatus::Preparing))
        );
        drop(before);
        assert_eq!(hub.watched_orders(), 1, "the new channel stays");
        drop(after);
        assert_eq!(hub.watched_orders(), 0);
    }

    #[tokio::test]
    async fn a_watcher_that_falls_behind_has_its_stream_ended() {
        let hub = LiveHub::new(10);
        let order = OrderId::new();
        let mut slow = hub.subscribe(order);

        for _ in 0..=PER_ORDER_BUFFER {
            hub.publish(status(order, OrderStatus::Preparing));
        }
        hub.publish(status(order, OrderStatus::Delivered));

        assert_eq!(slow.recv().await, None, "it missed updates");
        assert_eq!(slow.recv().await, None, "and stays ended");
        assert_eq!(
            hub.watched_orders(),
            0,
            "the channel went with its only watcher"
        );
    }

    #[tokio::test]
    async fn streams_beyond_the_cap_are_refused_until_one_ends() {
        let hub = LiveHub::new(1);
        let held = hub.admit_stream(UserId::new()).expect("the first stream");

        assert_eq!(
            hub.admit_stream(UserId::new()).err(),
            Some(StreamRefused::Busy)
        );
        drop(held);
        assert!(hub.admit_stream(UserId::new()).is_ok());
    }

    #[tokio::test]
    async fn a_user_may_hold_only_so_many_streams_until_one_ends() {
        let hub = LiveHub::new(100);
        let (user, other) = (UserId::new(), UserId::new());
        let mut held: Vec<_> = (0..MAX_STREAMS_PER_USER)
            .map(|_| hub.admit_stream(user).expect("within the user's cap"))
            .collect();

        assert_eq!(
            hub.admit_stream(user).err(),
            Some(StreamRefused::TooManyForUser)
        );
        assert!(
            hub.admit_stream(other).is_ok(),
            "other users are not held up"
        );
        drop(held.pop());
        let again = hub.admit_stream(user).expect("a place was given back");
        drop(again);
        held.clear();
        assert!(hub.streams_by_user().is_empty(), "nothing is left behind");
    }

    #[tokio::test]
    async fn a_user_refused_for_the_process_cap_keeps_their_places() {
        let hub = LiveHub::new(1);
        let user = UserId::new();
        let _held = hub.admit_stream(UserId::new()).expect("the only stream");

        assert_eq!(hub.admit_stream(user).err(), Some(StreamRefused::Busy));
        assert_eq!(hub.streams_by_user().get(&user), None);
    }

    #[tokio::test]
    async fn the_hub_reconnects_a_lost_listener_and_stops_on_shutdown() {
        let hub = LiveHub::new(10);
        let (connections, stop, task) = running(&hub);
        let order = OrderId::new();

        let first = connect(&hub, &connections).await;
        let mut subscription = hub.subscribe(order);
        send(
            &first,
            FeedEvent::Update(status(order, OrderStatus::Accepted)),
        )
        .await;
        assert_eq!(
            subscription.recv().await,
            Some(status(order, OrderStatus::Accepted))
        );
        drop(first); // the connection is lost: the stream ends
        assert_eq!(subscription.recv().await, None);

        let mut during_outage = hub.subscribe(order);
        let second = connect(&hub, &connections).await;
        assert_eq!(
            during_outage.recv().await,
            None,
            "a stream opened while nothing listened may have missed updates"
        );
        let mut subscription = hub.subscribe(order);
        send(
            &second,
            FeedEvent::Update(status(order, OrderStatus::Preparing)),
        )
        .await;
        assert_eq!(
            subscription.recv().await,
            Some(status(order, OrderStatus::Preparing))
        );

        stop.send(()).expect("stop");
        task.await.expect("the hub task");
        assert_eq!(subscription.recv().await, None);
        assert_eq!(hub.subscribe(order).recv().await, None, "the hub is closed");
    }

    #[tokio::test]
    async fn a_gap_in_the_feed_ends_every_stream_but_the_hub_goes_on() {
        let hub = LiveHub::new(10);
        let (connections, stop, task) = running(&hub);
        let (order, other) = (OrderId::new(), OrderId::new());
        let connection = connect(&hub, &connections).await;
        let mut watcher = hub.subscribe(order);
        let mut other_watcher = hub.subscribe(other);

        send(
            &connection,
            FeedEvent::Update(status(order, OrderStatus::Accepted)),
        )
        .await;
        send(&connection, FeedEvent::Gap).await;

        assert_eq!(
            watcher.recv().await,
            Some(status(order, OrderStatus::Accepted)),
            "what came before the gap is delivered"
        );
        assert_eq!(watcher.recv().await, None, "then the stream ends");
        assert_eq!(other_watcher.recv().await, None);
        assert_eq!(hub.watched_orders(), 0);

        let mut after = hub.subscribe(order);
        send(
            &connection,
            FeedEvent::Update(status(order, OrderStatus::Delivered)),
        )
        .await;
        assert_eq!(
            after.recv().await,
            Some(status(order, OrderStatus::Delivered)),
            "the same connection goes on serving new streams"
        );

        stop.send(()).expect("stop");
        task.await.expect("the hub task");
    }

    #[tokio::test]
    async fn streams_opened_while_the_listener_cannot_connect_end_once_it_does() {
        let hub = LiveHub::new(10);
        let (connections, stop, task) = running(&hub);
        let order = OrderId::new();
        let first = connect(&hub, &connections).await;
        let mut before = hub.subscribe(order);
        drop(first);
        assert_eq!(before.recv().await, None, "the loss ends every stream");
        connections
            .send(Err(StoreError::Backend("refused".into())))
            .await
            .expect("fail to connect");

        let mut during_outage = hub.subscribe(order);
        let second = connect(&hub, &connections).await;

        assert_eq!(during_outage.recv().await, None);
        drop(second);
        stop.send(()).expect("stop");
        task.await.expect("the hub task");
    }
}
