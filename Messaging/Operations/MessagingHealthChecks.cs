namespace ConcertBooking.Messaging.Operations;

/// <summary>
/// The tag of every messaging check (the bus, the outbox, a transport's own): they run in <c>/health</c> and feed the
/// <c>health.check.status</c> gauge, never readiness, since an instance serves its API while the broker is away.
/// </summary>
public static class MessagingHealthChecks
{
    public const string Tag = "messaging";

    /// <summary>The name MassTransit's bus check is registered under.</summary>
    public const string Bus = "bus";
}
