namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// Marks a consumer whose message must not be set aside because the database (or the network) is down for a while:
/// a transient failure is retried without a limit, with the back-off capped at
/// <see cref="ConsumerOptions.TransientRetryMaxDelay"/>, instead of <see cref="ConsumerOptions.TransientRetryLimit"/>
/// times. For consumers where money or seats are at stake: a dead-lettered payment or outcome leaves a customer's
/// money with nobody to give it back until an operator acts. A failure that is not transient (a bug, a bad message)
/// is still retried <see cref="ConsumerOptions.RetryLimit"/> times and then dead-lettered, as for every consumer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class UnboundedTransientRetryAttribute : Attribute;
