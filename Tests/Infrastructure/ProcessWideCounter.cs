using System.Diagnostics.Metrics;
using ConcertBooking.Messaging.Diagnostics;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// The sum of a Messaging counter over every host in this process, hosts not started yet included, for measurements
/// carrying <c>tag</c>. A collector on one host's meter can attach only once that host runs (a test server starts
/// when its services are first asked for), and misses what its background services did first.
/// </summary>
public sealed class ProcessWideCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _sum;

    public ProcessWideCounter(string instrument, KeyValuePair<string, object?> tag)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published.Meter.Name == MessagingMetrics.MeterName && published.Name == instrument)
            {
                listener.EnableMeasurementEvents(published);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var measured in tags)
            {
                if (measured.Key == tag.Key && Equals(measured.Value, tag.Value))
                {
                    Interlocked.Add(ref _sum, value);
                    return;
                }
            }
        });
        _listener.Start();
    }

    public long Sum => Interlocked.Read(ref _sum);

    public void Dispose() => _listener.Dispose();
}
