using System.Diagnostics;

namespace ConcertBooking.Testing;

/// <summary>Polls a probe until its value is done or a deadline passes: how asynchronous effects are waited for, never by sleeping.</summary>
public static class Poll
{
    /// <param name="timedOut">
    /// Called with the message once the deadline has passed; by default a <see cref="TimeoutException"/> is thrown.
    /// A callback that returns (a test framework that records the failure and carries on) lets polling go on.
    /// </param>
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan timeout,
        Action<string>? timedOut = null, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (deadline.Elapsed > timeout)
            {
                var message = $"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; last value: {Describe(value)}";
                if (timedOut is null)
                {
                    throw new TimeoutException(message);
                }

                timedOut(message);
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        System.Collections.ICollection collection => $"{collection.Count} items",
        _ => value.ToString() ?? "",
    };
}
