using System.Diagnostics;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes: the only way tests wait for asynchronous effects.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (deadline.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds:0.#} s waiting for {what}; last value: {Describe(value)}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    public static Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        Until(condition, ok => ok, what, timeout);

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        System.Collections.ICollection collection => $"{collection.Count} items",
        _ => value.ToString() ?? "",
    };
}
