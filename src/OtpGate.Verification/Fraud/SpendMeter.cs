using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Verification.Services;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Fraud;

/// <summary>
/// Spend in money (docs/architecture.md, "Spend"): every queued send is charged at its channel's and region's price in
/// the transaction that queues it (<see cref="ChargeSendAsync"/>, called by <c>Lifecycle.EnqueueSendAsync</c>, so
/// automatic resends are charged too), and a start or resend is refused before it queues anything when its price would
/// take a cap past its amount (<see cref="CheckAsync"/>). The caps: the service's daily and monthly, and all services'
/// daily and monthly, over UTC days and calendar months, summed from the database so they hold across instances.
/// Crossing <see cref="SpendOptions.WarnAt"/> of a cap logs one warning and counts <c>otpgate.spend.warnings</c>.
/// </summary>
public sealed partial class SpendMeter
{
    internal const long DayMs = 86_400_000;

    /// <summary>
    /// Sends that may be charged at once while a cap is far (<see cref="CheckAsync"/>): more than this many messages'
    /// price left before every cap and warning threshold. Beyond it, charges take the spend lock one at a time. Every
    /// start and resend holding the shared lock passed with this much room, so the cap holds exactly while fewer than
    /// this many are being queued at the same moment (a connection pool holds 100 per instance by default).
    /// </summary>
    internal const long ParallelCharges = 1024;

    private readonly SpendOptions _options;
    private readonly PriceTable _prices;
    private readonly ILogger<SpendMeter> _logger;
    private readonly ServiceCatalog _services;
    private readonly Counter<double> _spent;
    private readonly Counter<long> _warnings;
    private readonly ConcurrentDictionary<(string Cap, string Service), double> _usage = new();

    // What a start or resend already read for its service (the caps, and the sums under the lock), kept for the charge
    // in the same transaction: the hot path reads its service's version once (ServiceVersionReadTests) and the sums
    // once. Automatic resends read both themselves.
    private readonly ConditionalWeakTable<WriteScope, Checked> _checked = new();

    public SpendMeter(IOptions<SpendOptions> options, IMeterFactory meters, ServiceCatalog services, ILogger<SpendMeter> logger)
    {
        _options = options.Value;
        _services = services;
        _prices = new PriceTable(_options);
        _logger = logger;
        var meter = meters.Create(Telemetry.VerificationMetrics.MeterName);
        var unit = "{" + _options.Currency + "}";
        _spent = meter.CreateCounter<double>("otpgate.spend", unit, $"Money charged for sends as they are queued, in {_options.Currency}.");
        _warnings = meter.CreateCounter<long>("otpgate.spend.warnings", "{warning}", "Spend caps that crossed Spend:WarnAt in their period.");
        meter.CreateObservableGauge("otpgate.spend.cap_usage",
            () => _usage.Select(u => new Measurement<double>(u.Value, new("cap", u.Key.Cap), new("service", u.Key.Service))),
            "1", "The share of each spend cap used in its period, as this instance last saw it when charging.");
    }

    public string Currency => _options.Currency;

    public PriceTable Prices => _prices;

    /// <summary>The overall caps (<c>Spend:DailyCap</c>, <c>Spend:MonthlyCap</c>), as a service's are written.</summary>
    public SpendCaps OverallCaps => new() { DailyCap = _options.DailyCap, MonthlyCap = _options.MonthlyCap };

    /// <summary>
    /// Null when a message through <paramref name="channel"/> to a phone of <paramref name="region"/> fits every cap;
    /// else the refusal (<see cref="Refusal.SpendCapReached"/>) naming the cap, with the wait until its period ends.
    /// </summary>
    internal async Task<Refused?> CheckAsync(WriteScope scope, string serviceId, SpendCaps caps, string channel, string region, long now)
    {
        var price = _prices.MicrosFor(channel, region);
        var limits = Caps(serviceId, caps);
        var next = new SendCharge { ServiceId = serviceId, Channel = channel, Region = region };
        if (price == 0 || limits.Count == 0)
        {
            _checked.AddOrUpdate(scope, new Checked(caps, null, next));
            return null;
        }

        // On SQLite the one writer makes these sums exact as read.
        var sums = await SumsAsync(scope, serviceId, now);
        if (scope.Dialect.AdvisoryLocks)
        {
            if (limits.All(cap => cap.IsFarFrom(cap.SpentIn(sums), price * ParallelCharges, _options.WarnAt)))
            {
                // Far from every cap and warning: charges run in parallel, each holding the lock shared to its commit.
                await SpendStore.LockAsync(scope, shared: true);
            }
            else
            {
                // Near one: one at a time, and only once every parallel charge has committed, so these sums are exact.
                await SpendStore.LockAsync(scope);
                sums = await SumsAsync(scope, serviceId, now);
            }
        }

        _checked.AddOrUpdate(scope, new Checked(caps, sums, next));
        foreach (var cap in limits)
        {
            var spent = cap.SpentIn(sums);
            if (spent + price > cap.Amount)
            {
                var until = cap.Daily ? (now / DayMs + 1) * DayMs : NextMonthStart(now);
                return new Refused(Refusal.SpendCapReached,
                    $"{cap.Describe(serviceId)} ({Money(cap.Amount)} {Currency}, {cap.Key(serviceId)}) is reached: {Money(spent)} spent {(cap.Daily ? "today (UTC)" : "this month (UTC)")}, "
                    + $"and this message costs {Money(price)}; sends resume when the {(cap.Daily ? "day" : "month")} ends, or when the cap is raised.",
                    cap.Name, TimeSpan.FromMilliseconds(Math.Max(1000, until - now)));
            }
        }

        return null;
    }

    /// <summary>Charges the send just queued at its channel's and region's price, and warns once when a cap's threshold is crossed.</summary>
    internal async Task ChargeSendAsync(WriteScope scope, long sendId, long now)
    {
        // The send a start or resend just checked is the one it queues next; any other is read back.
        _checked.TryGetValue(scope, out var known);
        if (known?.Next is not null)
        {
            _checked.AddOrUpdate(scope, known with { Next = null });
        }

        if ((known?.Next ?? await SpendStore.FindSendAsync(scope, sendId)) is not { } send)
        {
            return;
        }

        var price = _prices.MicrosFor(send.Channel, send.Region);
        if (price == 0)
        {
            return;
        }

        var caps = Caps(send.ServiceId, known?.Caps ?? (await _services.FindAsync(scope, send.ServiceId))?.Settings.Spend ?? new SpendCaps());
        var before = known?.Sums;
        if (before is null && caps.Count > 0)
        {
            await SpendStore.LockAsync(scope);
            before = await SumsAsync(scope, send.ServiceId, now);
        }

        var (serviceId, channel, region) = (send.ServiceId, send.Channel, send.Region);
        scope.AtCommit(s => SpendStore.ChargeAsync(s, now / DayMs, serviceId, channel, region, price));
        before?.Add(price);
        _spent.Add((double)PriceTable.FromMicros(price), new("service", send.ServiceId), new("channel", send.Channel), new("country", send.Region));
        foreach (var cap in caps)
        {
            var spent = cap.SpentIn(before!) - price;
            var threshold = (long)(cap.Amount * _options.WarnAt);
            var service = cap.ForService ? send.ServiceId : "all";
            _usage[(cap.Name, service)] = (double)(spent + price) / cap.Amount;
            if (spent < threshold && spent + price >= threshold)
            {
                // Only the send that crosses the threshold gets here (sends take turns on the sums), once per period.
                _warnings.Add(1, new("cap", cap.Name), new("service", service));
                LogThresholdCrossed(_logger, cap.Describe(send.ServiceId), cap.Key(send.ServiceId), Money(spent + price), Money(cap.Amount), Currency);
            }
        }
    }

    /// <summary>The caps that apply to <paramref name="serviceId"/>, service caps first; none when none is set.</summary>
    private List<Cap> Caps(string serviceId, SpendCaps caps)
    {
        List<Cap> limits = [];
        AddIf(limits, "service_daily", caps.DailyCap, daily: true, forService: true);
        AddIf(limits, "service_monthly", caps.MonthlyCap, daily: false, forService: true);
        AddIf(limits, "overall_daily", _options.DailyCap, daily: true, forService: false);
        AddIf(limits, "overall_monthly", _options.MonthlyCap, daily: false, forService: false);
        return limits;

        static void AddIf(List<Cap> limits, string name, decimal amount, bool daily, bool forService)
        {
            if (amount > 0)
            {
                limits.Add(new Cap(name, PriceTable.ToMicros(amount), daily, forService));
            }
        }
    }

    private static Task<SpendSums> SumsAsync(WriteScope scope, string serviceId, long now) =>
        SpendStore.SumsAsync(scope, serviceId, now / DayMs, MonthStart(now) / DayMs);

    internal static long MonthStart(long now)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(now);
        return new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    internal static long NextMonthStart(long now) =>
        DateTimeOffset.FromUnixTimeMilliseconds(MonthStart(now)).AddMonths(1).ToUnixTimeMilliseconds();

    internal static string Money(long micros) => PriceTable.FromMicros(micros).ToString("0.00##", CultureInfo.InvariantCulture);

    /// <summary>What <see cref="CheckAsync"/> read and decided for a scope; <see cref="Next"/> describes the send it checked, until charged.</summary>
    private sealed record Checked(SpendCaps Caps, SpendSums? Sums, SendCharge? Next);

    private sealed record Cap(string Name, long Amount, bool Daily, bool ForService)
    {
        public long SpentIn(SpendSums sums) => (ForService, Daily) switch
        {
            (true, true) => sums.ServiceDay,
            (true, false) => sums.ServiceMonth,
            (false, true) => sums.OverallDay,
            _ => sums.OverallMonth,
        };

        /// <summary>More than <paramref name="room"/> left before both the amount and the warning threshold (if not yet crossed).</summary>
        public bool IsFarFrom(long spent, long room, double warnAt)
        {
            var threshold = (long)(Amount * warnAt);
            return spent + room < Amount && (spent >= threshold || spent + room < threshold);
        }

        public string Describe(string serviceId) => ForService
            ? $"The {(Daily ? "daily" : "monthly")} spend cap of service \"{serviceId}\""
            : $"The overall {(Daily ? "daily" : "monthly")} spend cap";

        public string Key(string serviceId) => ForService
            ? $"Services:{serviceId}:Spend:{(Daily ? "DailyCap" : "MonthlyCap")}"
            : $"Spend:{(Daily ? "DailyCap" : "MonthlyCap")}";
    }

    [LoggerMessage(EventId = 3001, EventName = "SpendThresholdCrossed", Level = LogLevel.Warning,
        Message = "{Cap} ({Key}) is nearly used: {Spent} of {Amount} {Currency} spent in its period")]
    private static partial void LogThresholdCrossed(ILogger logger, string cap, string key, string spent, string amount, string currency);
}
