using OtpGate.Server.Api;
using OtpGate.Verification.Fraud;

namespace OtpGate.Server.Spend;

/// <summary>
/// <c>GET /v1/spend</c>, with an admin key: what was spent today and this month (UTC), overall and per service, against
/// their caps, in the deployment's currency. Only operators see budgets: an end user's refusal never names one.
/// </summary>
internal static class SpendApi
{
    public static void MapSpend(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminGroup("/v1/spend", "Spend", "Spend is shown");
        group.MapGet("/", (SpendReports reports, CancellationToken cancellationToken) => reports.ReadAsync(cancellationToken))
            .WithName("GetSpend")
            .WithSummary("Spend today and this month (UTC), overall and per service, with the caps")
            .WithDescription("Amounts are in the deployment's currency (Spend:Currency); a cap that is not set is null. Sends are charged when queued, "
                + "at the price of their channel and country (Spend:Prices, or the shipped WhatsApp authentication rates).");
    }
}
