using HdrHistogram;

namespace ConcertBooking.Bench;

/// <summary>A latency histogram many buyers record into at once.</summary>
internal sealed class StepRecorder
{
    private readonly LongHistogram _histogram = new(TimeSpan.FromMinutes(10).Ticks, 3);

    public void Record(TimeSpan elapsed)
    {
        lock (_histogram)
        {
            _histogram.RecordValue(Math.Clamp(elapsed.Ticks, 1, _histogram.HighestTrackableValue));
        }
    }

    public Percentiles Milliseconds()
    {
        lock (_histogram)
        {
            return _histogram.TotalCount == 0 ? new Percentiles(0, 0, 0, 0, 0) : Percentiles.From(_histogram, TimeSpan.TicksPerMillisecond);
        }
    }
}
