using System.Diagnostics;
using OpenTelemetry;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// Leaves out of the traces the database calls that no request or message asked for: the relay's polling and the
/// housekeeping outside any span, and the readiness checks under their unrecorded /health request. Every service
/// makes them every second; as traces of their own they would bury the signups and bookings.
/// </summary>
internal sealed class BackgroundSpanFilter : BaseProcessor<Activity>
{
    public const string NpgsqlSource = "Npgsql";

    public override void OnStart(Activity data)
    {
        var unparentedDatabaseCall = data.Source.Name == NpgsqlSource && data.Parent is null && data.ParentSpanId == default;
        if (unparentedDatabaseCall || data.Parent is { Recorded: false })
        {
            // The exporters skip activities that are not recorded, and children follow their parent.
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            data.IsAllDataRequested = false;
        }
    }
}
