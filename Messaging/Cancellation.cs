namespace ConcertBooking.Messaging;

internal static class Cancellation
{
    /// <summary>
    /// Whether <paramref name="exception"/> is the caller's own cancellation (shutdown, a revoked partition, a request
    /// aborted) rather than a failure: a call that was cancelled or timed out on its own (an HTTP client's time-out
    /// throws <see cref="TaskCanceledException"/>) is a failure like any other, which a consumer retries and
    /// dead-letters and a page reports.
    /// </summary>
    public static bool IsCancellationOf(this Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested;
}
