using OtpGate.Verification.Services;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Fraud;

/// <summary>What has been spent, against which caps: overall and per service, today and this month (UTC), in the currency.</summary>
public sealed record SpendReport(string Currency, DateTimeOffset Day, DateTimeOffset Month, SpendLine Overall, IReadOnlyList<ServiceSpendLine> Services);

/// <summary>Spent today and this month, the sends, and the caps (null for none).</summary>
public sealed record SpendLine(decimal Today, decimal Month, long SendsToday, long SendsMonth, decimal? DailyCap, decimal? MonthlyCap);

/// <summary>One service's <see cref="SpendLine"/>.</summary>
public sealed record ServiceSpendLine(string Service, SpendLine Spend);

/// <summary>Builds the <see cref="SpendReport"/> for <c>GET /v1/spend</c> and <c>otpgate spend</c>.</summary>
public sealed class SpendReports(Database database, ServiceCatalog catalog, SpendMeter meter, TimeProvider time)
{
    public async Task<SpendReport> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var today = now / SpendMeter.DayMs;
        var monthStart = SpendMeter.MonthStart(now);
        var rows = (await SpendStore.ByServiceAsync(database, today, monthStart / SpendMeter.DayMs, cancellationToken)).ToDictionary(r => r.ServiceId, StringComparer.Ordinal);
        var services = await catalog.ListAsync(cancellationToken);
        var lines = services.Select(s => s.Id).Union(rows.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(id => new ServiceSpendLine(id, Line(rows.GetValueOrDefault(id), services.FirstOrDefault(s => s.Id == id)?.Settings.Spend ?? new SpendCaps())))
            .ToList();
        var overall = new SpendLine(
            lines.Sum(l => l.Spend.Today), lines.Sum(l => l.Spend.Month), lines.Sum(l => l.Spend.SendsToday), lines.Sum(l => l.Spend.SendsMonth),
            Cap(meter.OverallCaps.DailyCap), Cap(meter.OverallCaps.MonthlyCap));
        return new SpendReport(meter.Currency, DateTimeOffset.FromUnixTimeMilliseconds(today * SpendMeter.DayMs), DateTimeOffset.FromUnixTimeMilliseconds(monthStart), overall, lines);
    }

    private static SpendLine Line(ServiceSpendRow? row, SpendCaps caps) => new(
        PriceTable.FromMicros(row?.Today ?? 0), PriceTable.FromMicros(row?.Month ?? 0), row?.SendsToday ?? 0, row?.SendsMonth ?? 0,
        Cap(caps.DailyCap), Cap(caps.MonthlyCap));

    private static decimal? Cap(decimal amount) => amount > 0 ? amount : null;
}
