using System.Globalization;
using System.Text;
using static ConcertBooking.Bench.ReportWriter;

namespace ConcertBooking.Bench;

/// <summary>The flash sale's part of a transport's report: the reconciliation, the buyers, each step, fairness, and seats over time.</summary>
internal static class FlashSaleSection
{
    public static string Html(FlashSalePhase? sale)
    {
        if (sale is null)
        {
            return "<h3>Flash sale</h3><p>Not run in this run.</p>";
        }

        var ledger = sale.Ledger;
        var buyers = sale.Buyers;
        var page = new StringBuilder();
        page.Append(CultureInfo.InvariantCulture, $"""
            <h3>Flash sale: {sale.Seats:#,0} seats, {sale.BuyerCount:#,0} buyers arriving within {sale.ArrivalWindowSeconds:0} s</h3>
            <p class="note">Each buyer was signed up, replicated and topped up with {FlashSaleSettings.TopUp:0.00} beforehand ({sale.PreparationSeconds:0} s, not measured), then enters the
            queue, polls until admitted, {(sale.HoldMode == HoldMode.AnySeat ? "asks for any free seat (ConcertService picks it; a refusal naming none free is sold out)" : "holds a seat from the seat map (when one is taken, one the refusal names as free a moment ago; a refusal naming none is sold out)")}, pays, and polls until confirmed. Admission lets
            1,000 in every 100 ms, so the system, not the admitter, is the limit. A rehearsal a tenth this size, on another concert with buyers of its own,
            ran first, so the booking path is compiled as on a system that has sold seats before. Everything below the buyers' table is reconciled from the databases with SQL.</p>
            <table><tr><th>reconciled from the databases</th><th></th></tr>
            <tr><td>seats confirmed (reservations Confirmed) / seats</td><td class="{(ledger.ReservationsConfirmed == ledger.Seats ? "ok" : "miss")}">{ledger.ReservationsConfirmed:#,0} / {ledger.Seats:#,0} (seats Sold: {ledger.SeatsSold:#,0})</td></tr>
            <tr><td>seats oversold</td><td class="{Good(ledger.SeatsOversold == 0)}">{ledger.SeatsOversold}</td></tr>
            <tr><td>double charges</td><td class="{Good(ledger.DoubleCharges == 0)}">{ledger.DoubleCharges}</td></tr>
            <tr><td>money in (topped up {ledger.ToppedUp:#,0.00} − left in wallets {ledger.LeftInWallets:#,0.00})</td><td class="{Good(ledger.MoneyReconciled)}">{ledger.MoneyIn:#,0.00}</td></tr>
            <tr><td>payments completed ({ledger.PaymentsCompleted:#,0}; refunded {ledger.PaymentsRefunded:#,0})</td><td class="{Good(ledger.MoneyReconciled)}">{ledger.PaymentsTotal:#,0.00}</td></tr>
            <tr><td>value of the confirmed seats</td><td class="{Good(ledger.MoneyReconciled)}">{ledger.ConfirmedSeatsValue:#,0.00}</td></tr>
            <tr><td>sold out after (from the first arrival to the last confirmation)</td><td>{(sale.SoldOutAfterSeconds is { } s ? $"{s:0.0} s" : "not sold out")}</td></tr>
            <tr><td>confirmed bookings per second</td><td class="{Good(sale.ConfirmedPerSecond >= 150)}">{sale.ConfirmedPerSecond:0}</td></tr>
            </table>
            <table><tr><th>buyers</th><th>arrived</th><th>confirmed</th><th>told sold out</th><th>gave up after {100} taken seats</th><th>failed</th><th>requests</th><th>5xx</th><th>time-outs</th></tr>
            <tr><td>{(buyers.EveryBuyerAnswered ? "every buyer answered" : "<span class=\"miss\">not every buyer answered</span>")}</td><td>{buyers.Arrived:#,0}</td><td>{buyers.Confirmed:#,0}</td><td>{buyers.SoldOut:#,0}</td><td>{buyers.GaveUp:#,0}</td>
            <td class="{Good(buyers.Failed == 0)}">{buyers.Failed}</td><td>{buyers.Requests:#,0}</td><td class="{Good(buyers.ServerErrors == 0)}">{buyers.ServerErrors}</td><td class="{Good(buyers.TimeOuts == 0)}">{buyers.TimeOuts}</td></tr></table>
            {(buyers.Failures.Count == 0 ? "" : "<p>Failures: " + Encode(string.Join(", ", buyers.Failures.Select(f => $"{f.Key} × {f.Value}"))) + "</p>")}
            <table><tr><th>step (as the buyer saw it)</th><th>count</th><th>p50 ms</th><th>p95</th><th>p99</th><th>max</th></tr>
            {Step("queue entry (POST)", sale.Steps.QueueEntry)}
            {Step("admission wait (queue answer → pass seen; polls from 250 ms, ×1.5 up to 2 s)", sale.Steps.AdmissionWait)}
            {Step("hold request (each POST /reservations, taken seats too; goal p99 ≤ 50)", sale.Steps.HoldRequest)}
            {Step("seat found (first hold attempt → 201, retries included)", sale.Steps.SeatFound)}
            {Step("payment (hold → 201, 404s while PaymentService has not learnt of the reservation retried from 50 ms)", sale.Steps.Payment)}
            {Step("confirmation (payment → Confirmed seen; polls from 100 ms, ×1.5 up to 2 s)", sale.Steps.Confirmation)}
            {Step("confirmed after payment, by the databases (payment committed → reservation confirmed: the pipeline's share of the confirmation)", sale.Steps.ConfirmedAfterPayment)}
            {Step("admission wait in TokenService (AdmittedAt − EnteredAt)", sale.Fairness.AdmissionWaitMs)}
            </table>
            <p>Fairness: of {sale.Fairness.ComparablePairs:#,0} pairs of buyers admitted at different instants, {sale.Fairness.InvertedPairs:#,0}
            ({sale.Fairness.InvertedShare:P2}) were admitted in the opposite order to their arrival; Kendall's tau {sale.Fairness.KendallTau:0.000} (1 = strict arrival order).
            Buyers let in by the same admission round are ties and count neither way.</p>
            """);
        page.Append("<div class=\"charts\">");
        page.Append(Charts.Lines("Seats over time", [
            new Series("held", Charts.Colors[1], sale.SeatsOverTime.Select(p => (p.Second, (double)p.Held)).ToList()),
            new Series("confirmed", Charts.Colors[2], sale.SeatsOverTime.Select(p => (p.Second, (double)p.Confirmed)).ToList()),
        ], "seconds since the first buyer arrived", "seats", logY: false, width: 720, height: 300, yLine: sale.Seats, yLineLabel: $"{sale.Seats:#,0} seats"));
        return page.Append("</div>").ToString();
    }

    private static string Good(bool good) => good ? "ok" : "miss";

    private static string Step(string name, Percentiles p) => string.Create(CultureInfo.InvariantCulture,
        $"<tr><td>{Encode(name)}</td><td>{p.Count:#,0}</td><td>{p.P50:0.0}</td><td>{p.P95:0.0}</td><td>{p.P99:0.0}</td><td>{p.Max:0.0}</td></tr>");
}
