namespace ConcertBooking.Messaging.Diagnostics;

/// <summary>Delivery lag in milliseconds over the latest samples (null when none yet).</summary>
public sealed record LagSummary(int Samples, double? P50, double? P95, double? P99, double? Max);
