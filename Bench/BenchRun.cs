namespace ConcertBooking.Bench;

/// <summary>One `make bench`: a report per transport, run one after the other, and the peer's figures when given.</summary>
internal sealed record BenchRun(DateTimeOffset At, bool Quick, List<BenchReport> Transports, PeerFigures? Peer);
