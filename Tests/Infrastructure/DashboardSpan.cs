namespace ConcertBooking.Tests.Infrastructure;

/// <summary>One span as the Aspire dashboard holds it: the service that recorded it, its name and its OTLP kind.</summary>
public sealed record DashboardSpan(string Service, string Name, DashboardSpanKind Kind, string TraceId, string SpanId, string ParentSpanId);
