namespace ConcertBooking.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes: the only way tests wait for asynchronous effects. A timeout is a test failure.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null) =>
        Poll.UntilAsync(probe, done, what, timeout ?? DefaultTimeout, timedOut: message => Assert.Fail(message));

    public static Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        Until(condition, ok => ok, what, timeout);
}
