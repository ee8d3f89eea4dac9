using ConcertBooking.Testing;

namespace ConcertBooking.Bench;

/// <summary>
/// What the databases say about a flash sale once it has settled: seats, reservations, payments and wallets
/// reconciled with SQL, the seats sold over time, and the order TokenService admitted the buyers in.
/// </summary>
internal sealed class FlashSaleAudit(BenchSystem system, Guid concertId)
{
    /// <summary>The FROM clause of this concert's payments (<c>p</c>) with their reservations (<c>r</c>).</summary>
    private string Payments =>
        $"""FROM payment."Payments" p JOIN payment."PayableReservations" r ON r."ReservationId" = p."ReservationId" AND r."ConcertId" = '{concertId}'""";

    private string Buyers(string alias) => $"""JOIN payment."Users" u ON u."Id" = {alias}."UserId" AND u."Name" LIKE '{FlashSale.NamePrefix}%'""";

    /// <summary>After every payment came back confirmed or refunded (none is left Paid in PaymentService's view).</summary>
    public async Task<FlashSaleLedger> LedgerAsync(decimal toppedUp, CancellationToken cancellationToken)
    {
        await Poll.UntilAsync(
            () => system.ScalarAsync("payment", $"""SELECT count(*) FROM payment."PayableReservations" WHERE "ConcertId" = '{concertId}' AND "Status" = 'Paid'""", cancellationToken),
            paid => paid == 0, "every payment of the sale to be confirmed or refunded", TimeSpan.FromMinutes(3), cancellationToken: cancellationToken);

        var concert = $"""WHERE "ConcertId" = '{concertId}'""";
        var seats = await system.ScalarAsync("concert", $"""SELECT count(*) FROM concert."Seats" {concert}""", cancellationToken);
        var sold = await system.ScalarAsync("concert", $"""SELECT count(*) FROM concert."Seats" {concert} AND "Status" = 'Sold'""", cancellationToken);
        var confirmed = await system.ScalarAsync("concert", $"""SELECT count(*) FROM concert."Reservations" {concert} AND "Status" = 'Confirmed'""", cancellationToken);
        var confirmedValue = await DecimalAsync("concert", $"""SELECT coalesce(sum("Amount"), 0) FROM concert."Reservations" {concert} AND "Status" = 'Confirmed'""", cancellationToken);
        // A seat with two confirmed reservations, or more confirmed than seats, or a sold seat whose reservation is not confirmed.
        var oversold = await system.ScalarAsync("concert", $"""
            SELECT (SELECT count(*) FROM (SELECT "SeatId" FROM concert."Reservations" {concert} AND "Status" = 'Confirmed' GROUP BY "SeatId" HAVING count(*) > 1) twice)
                 + greatest(0, (SELECT count(*) FROM concert."Reservations" {concert} AND "Status" = 'Confirmed') - (SELECT count(*) FROM concert."Seats" {concert}))
            """, cancellationToken);

        // Payments of this concert that were not refunded, by reservation and by buyer, against ConcertService's confirmations.
        var completed = await system.ScalarAsync("payment", $"""SELECT count(*) {Payments} WHERE p."Status" = 'Completed'""", cancellationToken);
        var refunded = await system.ScalarAsync("payment", $"""SELECT count(*) {Payments} WHERE p."Status" = 'Refunded'""", cancellationToken);
        var paidTotal = await DecimalAsync("payment", $"""SELECT coalesce(sum(p."Amount"), 0) {Payments} WHERE p."Status" = 'Completed'""", cancellationToken);
        var paidByUser = (await system.QueryAsync("payment", $"""SELECT p."UserId", count(*) {Payments} WHERE p."Status" = 'Completed' GROUP BY p."UserId" """,
            row => (row.GetGuid(0), row.GetInt64(1)), cancellationToken)).ToDictionary(r => r.Item1, r => r.Item2);
        var confirmedByUser = (await system.QueryAsync("concert", $"""SELECT "UserId", count(*) FROM concert."Reservations" {concert} AND "Status" = 'Confirmed' GROUP BY "UserId" """,
            row => (row.GetGuid(0), row.GetInt64(1)), cancellationToken)).ToDictionary(r => r.Item1, r => r.Item2);
        var twicePerReservation = await system.ScalarAsync("payment",
            $"""SELECT count(*) FROM (SELECT p."ReservationId" {Payments} WHERE p."Status" = 'Completed' GROUP BY p."ReservationId" HAVING count(*) > 1) twice""", cancellationToken);
        var doubleCharges = twicePerReservation + paidByUser.Sum(p => Math.Max(0, p.Value - confirmedByUser.GetValueOrDefault(p.Key)));

        var left = await DecimalAsync("payment", $"""SELECT coalesce(sum(w."Balance"), 0) FROM payment."Wallets" w {Buyers("w")}""", cancellationToken);
        return new FlashSaleLedger(seats, sold, confirmed, oversold, doubleCharges, completed, refunded, toppedUp, left, toppedUp - left, paidTotal, confirmedValue);
    }

    /// <summary>
    /// From each payment's commit in PaymentService to its reservation's confirmation in ConcertService (ms), by the
    /// databases' clocks (one machine): the pipeline's share of a buyer's confirmation step, without the polls' waits.
    /// </summary>
    public async Task<Percentiles> ConfirmedAfterPaymentAsync(CancellationToken cancellationToken)
    {
        var paidAt = (await system.QueryAsync("payment", $"""
            SELECT p."ReservationId", extract(epoch FROM p."CreatedAt") {Payments} WHERE p."Status" = 'Completed'
            """, row => (Reservation: row.GetGuid(0), At: (double)row.GetDecimal(1)), cancellationToken)).ToDictionary(p => p.Reservation, p => p.At);
        var confirmedAt = await system.QueryAsync("concert", $"""
            SELECT "Id", extract(epoch FROM "ClosedAt") FROM concert."Reservations" WHERE "ConcertId" = '{concertId}' AND "Status" = 'Confirmed'
            """, row => (Reservation: row.GetGuid(0), At: (double)row.GetDecimal(1)), cancellationToken);
        var lag = new StepRecorder();
        foreach (var (reservation, at) in confirmedAt)
        {
            if (paidAt.TryGetValue(reservation, out var paid))
            {
                lag.Record(TimeSpan.FromSeconds(at - paid));
            }
        }

        return lag.Milliseconds();
    }

    /// <summary>Each hold and each confirmation of the sale, cumulative, in seconds since the first buyer arrived.</summary>
    public async Task<List<SalePoint>> TimelineAsync(DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var events = await system.QueryAsync("concert", $"""
            SELECT extract(epoch FROM "CreatedAt"), CASE WHEN "Status" = 'Confirmed' THEN extract(epoch FROM "ClosedAt") END
            FROM concert."Reservations" WHERE "ConcertId" = '{concertId}'
            """, row => (Held: (double)row.GetDecimal(0), Confirmed: row.IsDBNull(1) ? (double?)null : (double)row.GetDecimal(1)), cancellationToken);
        var start = startedAt.ToUnixTimeMilliseconds() / 1000.0;
        var points = events.Select(e => (Second: e.Held - start, Held: 1, Confirmed: 0))
            .Concat(events.Where(e => e.Confirmed is not null).Select(e => (Second: e.Confirmed!.Value - start, Held: 0, Confirmed: 1)))
            .OrderBy(e => e.Second);
        var timeline = new List<SalePoint>();
        int held = 0, confirmed = 0;
        foreach (var point in points)
        {
            held += point.Held;
            confirmed += point.Confirmed;
            timeline.Add(new SalePoint(Math.Round(point.Second, 3), held, confirmed));
        }

        // The sale ends at the last confirmation: holds that came later, if any, do not move it.
        var end = confirmed == 0 ? timeline.Count - 1 : timeline.FindIndex(p => p.Confirmed == confirmed);
        return timeline[..(end + 1)];
    }

    /// <summary>At most ~400 points for the report's plot (every 1/400 of the sale), always keeping the last.</summary>
    public static List<SalePoint> Thin(List<SalePoint> timeline)
    {
        if (timeline.Count <= 400)
        {
            return timeline;
        }

        var step = timeline[^1].Second / 400;
        var thinned = new List<SalePoint>();
        var next = double.MinValue;
        foreach (var point in timeline)
        {
            if (point.Second >= next)
            {
                thinned.Add(point);
                next = point.Second + step;
            }
        }

        if (thinned[^1] != timeline[^1])
        {
            thinned.Add(timeline[^1]);
        }

        return thinned;
    }

    /// <summary>Admission order (TokenService's AdmittedAt) against the order the bench sent the buyers in.</summary>
    public async Task<FlashSaleFairness> FairnessAsync(IReadOnlyList<Guid> arrivalOrder, CancellationToken cancellationToken)
    {
        var admissions = (await system.QueryAsync("token", $"""
            SELECT "UserId", extract(epoch FROM "AdmittedAt") * 1000000, extract(epoch FROM "AdmittedAt" - "EnteredAt") * 1000000
            FROM token."QueueTokens" WHERE "ConcertId" = '{concertId}' AND "AdmittedAt" IS NOT NULL
            """, row => (User: row.GetGuid(0), AdmittedAt: (long)row.GetDecimal(1), Waited: (long)row.GetDecimal(2)), cancellationToken))
            .ToDictionary(a => a.User);
        var admittedAt = arrivalOrder.Where(admissions.ContainsKey).Select(u => admissions[u].AdmittedAt).ToArray();
        long concordant = 0, discordant = 0;
        for (var i = 0; i < admittedAt.Length; i++)
        {
            for (var j = i + 1; j < admittedAt.Length; j++)
            {
                if (admittedAt[i] < admittedAt[j])
                {
                    concordant++;
                }
                else if (admittedAt[i] > admittedAt[j])
                {
                    discordant++;
                }
            }
        }

        var waited = new HdrHistogram.LongHistogram(TimeSpan.FromHours(1).Ticks / 10, 3);
        foreach (var admission in admissions.Values)
        {
            waited.RecordValue(Math.Clamp(admission.Waited, 1, waited.HighestTrackableValue));
        }

        var pairs = concordant + discordant;
        return new FlashSaleFairness(pairs, discordant, pairs == 0 ? 0 : (double)discordant / pairs,
            pairs == 0 ? 1 : (double)(concordant - discordant) / pairs,
            waited.TotalCount == 0 ? new Percentiles(0, 0, 0, 0, 0) : Percentiles.From(waited, 1000));
    }

    private async Task<decimal> DecimalAsync(string service, string sql, CancellationToken cancellationToken) =>
        (await system.QueryAsync(service, sql, row => row.GetDecimal(0), cancellationToken))[0];
}
