using System.Collections.Concurrent;
using System.Diagnostics;

namespace ConcertBooking.Bench;

/// <summary>
/// The flash sale: one concert, many more signed-up buyers than seats arriving within <see cref="ArrivalWindow"/>,
/// each going queue → entry pass → hold (another seat when one is taken: one the refusal names as free, else one from
/// the seat map; a refusal naming none means sold out; or, with <see cref="HoldMode.AnySeat"/>, any free seat) →
/// payment → confirmation. Admission is fast
/// (<see cref="FlashSaleSettings.Admission"/>), so what limits the sale is the system. The outcome is reconciled from
/// the databases afterwards (<see cref="FlashSaleAudit"/>). Its rehearsal, on a concert and buyers of its own, comes first.
/// </summary>
internal sealed class FlashSale(BenchSystem system, int seats, int buyers, Guid concertId, string namePrefix, HoldMode holdMode)
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan ArrivalWindow = TimeSpan.FromSeconds(10);

    /// <summary>Longest a buyer keeps at it (polls included) before the bench calls them unanswered.</summary>
    private static readonly TimeSpan BuyerDeadline = TimeSpan.FromMinutes(5);

    /// <summary>Taken seats a buyer tries before giving up (a real buyer would, long before).</summary>
    private const int MaxHoldAttempts = 100;

    public const string NamePrefix = "flash-";

    public const string RehearsalNamePrefix = "rehearsal-";

    /// <summary>The sale: <see cref="BenchSystem.FlashSaleSeats"/> seats and five buyers for each.</summary>
    public static FlashSale Of(BenchSystem system, HoldMode holdMode) =>
        new(system, system.FlashSaleSeats, system.FlashSaleSeats * 5, FlashSaleSettings.ConcertId, NamePrefix, holdMode);

    /// <summary>
    /// The sale's rehearsal, a tenth of its size: services that have sold seats before, as a production system's have,
    /// so that the sale measures them rather than the JIT compiling the booking path under it (in a profile of a sale
    /// on services that had only signed users up, a quarter of each service's CPU was the JIT, 30 s into the sale).
    /// </summary>
    public static FlashSale RehearsalOf(BenchSystem system, HoldMode holdMode)
    {
        var seats = FlashSaleSettings.RehearsalSize(system.FlashSaleSeats);
        return new(system, seats, seats * 5, FlashSaleSettings.RehearsalConcertId, RehearsalNamePrefix, holdMode);
    }

    /// <summary>Sells the concert out with nothing measured: only its outcome is printed.</summary>
    public async Task RehearseAsync(CancellationToken cancellationToken)
    {
        using var clients = BookingClients.For(system);
        var clock = Stopwatch.StartNew();
        var sessions = await PrepareBuyersAsync(clients, cancellationToken);
        await SellAsync(clients, sessions, cancellationToken);
        Console.WriteLine($"Flash sale rehearsal: {seats} seats, {sessions.Count} buyers, {clock.Elapsed.TotalSeconds:0} s with their signups");
    }

    private readonly StepRecorder _queueEntry = new(), _admissionWait = new(), _holdRequest = new(), _seatFound = new(), _payment = new(), _confirmation = new();
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private long _requests, _serverErrors, _timeOuts;

    private enum Outcome
    {
        Confirmed,
        SoldOut,
        GaveUp,
        Failed,
    }

    public async Task<FlashSalePhase> RunAsync(CancellationToken cancellationToken)
    {
        using var clients = BookingClients.For(system);
        var preparation = Stopwatch.StartNew();
        var sessions = await PrepareBuyersAsync(clients, cancellationToken);
        var prepared = preparation.Elapsed;
        Console.WriteLine($"Flash sale: {sessions.Count} buyers signed up, replicated and topped up in {prepared.TotalSeconds:0} s; {seats} seats");

        var arrivalOrder = sessions.Select(s => s.UserId).ToList();
        var (outcomes, startedAt) = await SellAsync(clients, sessions, cancellationToken);

        var audit = new FlashSaleAudit(system, concertId);
        var ledger = await audit.LedgerAsync(sessions.Count * FlashSaleSettings.TopUp, cancellationToken);
        var timeline = await audit.TimelineAsync(startedAt, cancellationToken);
        var fairness = await audit.FairnessAsync(arrivalOrder, cancellationToken);
        var confirmedAfterPayment = await audit.ConfirmedAfterPaymentAsync(cancellationToken);
        var lastConfirmation = timeline.Count == 0 ? 0 : timeline[^1].Second;
        double? soldOut = ledger.ReservationsConfirmed >= ledger.Seats ? Math.Round(lastConfirmation, 2) : null;
        var phase = new FlashSalePhase(
            seats, sessions.Count, holdMode, ArrivalWindow.TotalSeconds, Math.Round(prepared.TotalSeconds, 1),
            new FlashSaleBuyers(sessions.Count, Count(Outcome.Confirmed), Count(Outcome.SoldOut), Count(Outcome.GaveUp), Count(Outcome.Failed),
                _requests, _serverErrors, _timeOuts, new Dictionary<string, int>(_failures)),
            ledger, soldOut, Math.Round(ledger.ReservationsConfirmed / Math.Max(lastConfirmation, 0.001), 1),
            new FlashSaleSteps(_queueEntry.Milliseconds(), _admissionWait.Milliseconds(), _holdRequest.Milliseconds(), _seatFound.Milliseconds(),
                _payment.Milliseconds(), _confirmation.Milliseconds(), confirmedAfterPayment),
            fairness, FlashSaleAudit.Thin(timeline));
        Console.WriteLine($"Flash sale ({holdMode}): {ledger.ReservationsConfirmed}/{ledger.Seats} confirmed, {ledger.SeatsOversold} oversold, {ledger.DoubleCharges} double charges, " +
            $"money {(ledger.MoneyReconciled ? "reconciled" : "NOT reconciled")} (in {ledger.MoneyIn}, payments {ledger.PaymentsTotal}, confirmed seats {ledger.ConfirmedSeatsValue}), " +
            $"sold out {(soldOut is { } s ? $"after {s:0.0} s" : "never")}, {phase.ConfirmedPerSecond:0} confirmed/s, " +
            $"{phase.Buyers.ServerErrors} 5xx, {phase.Buyers.TimeOuts} time-outs, {phase.Buyers.Failed} buyers failed; hold p99 {phase.Steps.HoldRequest.P99:0.0} ms; " +
            $"confirmed after payment p50 {confirmedAfterPayment.P50:0} ms, p99 {confirmedAfterPayment.P99:0} ms (databases); " +
            $"admission inversions {fairness.InvertedShare:P2} (tau {fairness.KendallTau:0.000})");
        return phase;

        int Count(Outcome outcome) => outcomes.Count(o => o == outcome);
    }

    /// <summary>Lets the buyers arrive over <see cref="ArrivalWindow"/>, each buying until done; also when the first arrived.</summary>
    private async Task<(Outcome[] Outcomes, DateTimeOffset StartedAt)> SellAsync(
        BookingClients clients, List<BuyerSession> sessions, CancellationToken cancellationToken)
    {
        // The seat map is the sale's front end, not a buyer: its refreshes have a connection of their own instead of
        // queueing with 10,000 buyers for one of their 256; a map as old as that queue is long sends buyers to taken seats.
        using var frontEnd = new HttpClient { BaseAddress = system.Services["concert"].BaseAddress, Timeout = RequestTimeout };
        var map = new SeatMap(frontEnd, concertId);
        await map.RefreshAsync(cancellationToken);
        using var stopMap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var mapRefresh = map.KeepFreshAsync(stopMap.Token);

        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var running = new List<Task<Outcome>>(sessions.Count);
        for (var i = 0; i < sessions.Count; i++)
        {
            var arrival = ArrivalWindow * i / sessions.Count;
            var wait = arrival - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            var buyer = sessions[i];
            running.Add(Task.Run(() => BuyAsync(buyer, map, new Random(i), cancellationToken), cancellationToken));
        }

        var outcomes = await Task.WhenAll(running);
        await stopMap.CancelAsync();
        await mapRefresh;
        Console.WriteLine($"{Label}: every buyer done {clock.Elapsed.TotalSeconds:0.0} s after the first arrived: {Summary(outcomes)}");
        return (outcomes, startedAt);
    }

    private string Label => namePrefix == NamePrefix ? "Flash sale" : "Flash sale rehearsal";

    private string Summary(Outcome[] outcomes) =>
        string.Join(", ", outcomes.GroupBy(o => o).Select(g => $"{g.Key} {g.Count()}")) +
        (_failures.IsEmpty ? "" : $" (failures: {string.Join(", ", _failures.Select(f => $"{f.Key} × {f.Value}"))})");

    /// <summary>Signs the buyers up, waits until every replica knows them, and tops up their wallets.</summary>
    private async Task<List<BuyerSession>> PrepareBuyersAsync(BookingClients clients, CancellationToken cancellationToken)
    {
        var signedUp = await Buyers.SignUpAsync(system, clients, namePrefix, buyers, cancellationToken);
        var toppedUp = new ConcurrentBag<BuyerSession>();
        await Parallel.ForEachAsync(signedUp, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (buyer, token) =>
        {
            if ((await buyer.TopUpAsync(FlashSaleSettings.TopUp, token)).Status == 200)
            {
                toppedUp.Add(buyer);
            }
        });
        if (toppedUp.Count != buyers)
        {
            throw new InvalidOperationException($"Only {toppedUp.Count} of {buyers} buyers could sign up and top up: the sale would not be the one asked for.");
        }

        return signedUp; // in signup order, which is the arrival order
    }

    private async Task<Outcome> BuyAsync(BuyerSession buyer, SeatMap map, Random random, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var started = Stopwatch.GetTimestamp();
        var entered = Count(await buyer.EnterQueueAsync(concertId, cancellationToken));
        _queueEntry.Record(Stopwatch.GetElapsedTime(started));
        if (entered is not { Status: 200 or 201, Body: { } token })
        {
            return Fail("queue entry", entered.Status);
        }

        started = Stopwatch.GetTimestamp();
        var poll = new Backoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2));
        while (token.Status == "Waiting")
        {
            if (deadline.Elapsed > BuyerDeadline)
            {
                return Fail("admission", 0);
            }

            await poll.WaitAsync(cancellationToken);
            var standing = Count(await buyer.TokenAsync(token.TokenId, cancellationToken));
            if (standing is not { Status: 200, Body: { } current })
            {
                return Fail("admission poll", standing.Status);
            }

            token = current;
        }

        if (token is not { Status: "Admitted", EntryPass: { } pass })
        {
            return Fail($"admission {token.Status}", 200);
        }

        _admissionWait.Record(Stopwatch.GetElapsedTime(started));

        started = Stopwatch.GetTimestamp();
        var reservation = holdMode == HoldMode.AnySeat
            ? await HoldAnySeatAsync(buyer, pass, cancellationToken)
            : await HoldNamedSeatAsync(buyer, pass, map, random, cancellationToken);
        if (reservation is not { Reservation: { } held })
        {
            return reservation.Outcome;
        }

        _seatFound.Record(Stopwatch.GetElapsedTime(started));
        return await PayAndConfirmAsync(buyer, held, deadline, cancellationToken);
    }

    /// <summary>The held reservation, or how the buyer ended without one.</summary>
    private readonly record struct HoldAttempt(ReservationAnswer? Reservation, Outcome Outcome);

    /// <summary>
    /// Any free seat, asked again while the refusal says seats are free but locked by holds in flight, and after a
    /// time-out (asked again with the same pass, a hold answers with the seat the pass holds, so a hold that committed
    /// after the client gave up is not left to expire); a refusal naming none free is sold out.
    /// </summary>
    private async Task<HoldAttempt> HoldAnySeatAsync(BuyerSession buyer, string pass, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxHoldAttempts; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            var hold = Count(await buyer.HoldAnyAsync(concertId, pass, cancellationToken));
            _holdRequest.Record(Stopwatch.GetElapsedTime(started));
            switch (hold)
            {
                case { Status: 200 or 201, Body: { } held }:
                    return new(held, Outcome.Confirmed);
                case { TimedOut: true }:
                    continue;
                case { Status: 409, Conflict.AvailableSeats.Count: 0 }:
                    return new(null, Outcome.SoldOut);
                case { Status: 409 }:
                    await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken); // the free seats are locked by holds in flight: a moment, then again
                    continue;
                default:
                    return new(null, Fail("hold", hold.Status));
            }
        }

        return new(null, Outcome.GaveUp);
    }

    /// <summary>
    /// Seats from the map, and after a refusal one it names as free a moment ago, until one holds or none is left; the
    /// same seat again after a time-out.
    /// </summary>
    private async Task<HoldAttempt> HoldNamedSeatAsync(BuyerSession buyer, string pass, SeatMap map, Random random, CancellationToken cancellationToken)
    {
        var tried = new HashSet<Guid>();
        Guid? suggested = null;
        while (true)
        {
            if (tried.Count >= MaxHoldAttempts)
            {
                return new(null, Outcome.GaveUp);
            }

            if ((suggested ?? map.Pick(random, tried)) is not { } seat)
            {
                if (map.AvailableCount == 0)
                {
                    return new(null, Outcome.SoldOut);
                }

                await Task.Delay(SeatMap.RefreshInterval, cancellationToken); // tried every seat it showed: wait for a fresher map
                continue;
            }

            var attempt = Stopwatch.GetTimestamp();
            var hold = Count(await buyer.HoldAsync(seat, pass, cancellationToken));
            _holdRequest.Record(Stopwatch.GetElapsedTime(attempt));
            if (hold.TimedOut)
            {
                suggested = seat; // asked again with the same pass, a hold the pass made answers with itself
                continue;
            }

            if (hold.Status == 409)
            {
                tried.Add(seat);
                suggested = null;
                // A refusal that names seats free a moment ago is fresher than the map: try one of those next; one that
                // names none says the concert is sold out.
                if (hold.Conflict?.AvailableSeats is { } available)
                {
                    if (available.Count == 0)
                    {
                        return new(null, Outcome.SoldOut);
                    }

                    suggested = available.Select(s => (Guid?)s.Id).FirstOrDefault(id => !tried.Contains(id!.Value));
                }

                continue;
            }

            return hold is { Status: 200 or 201, Body: { } held } ? new(held, Outcome.Confirmed) : new(null, Fail("hold", hold.Status));
        }
    }

    /// <summary>Pays for the held seat (again while PaymentService has not learnt of it yet), then polls until confirmed.</summary>
    private async Task<Outcome> PayAndConfirmAsync(BuyerSession buyer, ReservationAnswer reservation, Stopwatch deadline, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var poll = new Backoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1));
        while (true)
        {
            var payment = Count(await buyer.PayAsync(reservation.Id, $"flash-{reservation.Id:N}", cancellationToken));
            if (payment.Status is 200 or 201)
            {
                break;
            }

            // 404: PaymentService has not learnt of the reservation yet (ReservationCreated is on its way).
            if (payment.Status != 404 || deadline.Elapsed > BuyerDeadline)
            {
                return Fail("payment", payment.Status);
            }

            await poll.WaitAsync(cancellationToken);
        }

        _payment.Record(Stopwatch.GetElapsedTime(started));

        started = Stopwatch.GetTimestamp();
        poll = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        while (true)
        {
            await poll.WaitAsync(cancellationToken);
            var state = Count(await buyer.ReservationAsync(reservation.Id, cancellationToken));
            if (state is not { Status: 200, Body: { } current })
            {
                return Fail("confirmation poll", state.Status);
            }

            if (current.Status == "Confirmed")
            {
                _confirmation.Record(Stopwatch.GetElapsedTime(started));
                return Outcome.Confirmed;
            }

            if (current.Status != "Pending" || deadline.Elapsed > BuyerDeadline)
            {
                return Fail($"confirmation {current.Status}", 200);
            }
        }
    }

    private Answer<T> Count<T>(Answer<T> answer)
    {
        Interlocked.Increment(ref _requests);
        if (answer.TimedOut)
        {
            Interlocked.Increment(ref _timeOuts);
        }
        else if (answer.ServerError)
        {
            Interlocked.Increment(ref _serverErrors);
        }

        return answer;
    }

    private Outcome Fail(string step, int status)
    {
        _failures.AddOrUpdate($"{step}: {(status == 0 ? "time-out" : status.ToString())}", 1, (_, n) => n + 1);
        return Outcome.Failed;
    }

    /// <summary>Poll intervals growing by half each time up to a cap: quick answers for the lucky, bounded load for the rest.</summary>
    private sealed class Backoff(TimeSpan first, TimeSpan max)
    {
        private TimeSpan _next = first;

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(_next, cancellationToken);
            _next = TimeSpan.FromTicks(Math.Min(max.Ticks, (long)(_next.Ticks * 1.5)));
        }
    }
}
