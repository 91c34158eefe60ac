using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OtpGate.Server.Hosting;

namespace OtpGate.Server.Api;

/// <summary>
/// HTTP rate limits, in process: per API key for authenticated API calls, per client address for everything else that
/// costs (unauthenticated API calls, sign-up form posts). The limits that protect phones and money (sends, checks,
/// starts per IP) are the engine's, counted in the database.
/// </summary>
internal static class RateLimits
{
    public const string ApiPolicy = "api";
    public const string PagesPolicy = "pages";

    public static IServiceCollection AddOtpGateRateLimits(this IServiceCollection services) => services.AddRateLimiter(options =>
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = OnRejectedAsync;
        options.AddPolicy(ApiPolicy, context =>
        {
            var limits = Limits(context);
            return context.User.Identity is { IsAuthenticated: true, Name: { } key }
                ? Bucket("key:" + key, limits.PerKeyPerMinute)
                : Bucket("ip:" + ClientAddress(context), limits.PerIpPerMinute);
        });
        options.AddPolicy(PagesPolicy, context =>
            HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? RateLimitPartition.GetNoLimiter("read")
                : Bucket("ip:" + ClientAddress(context), Limits(context).PerIpPerMinute));
    });

    public static string ClientAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        return address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    private static ApiRateLimitOptions Limits(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.RateLimit;

    // A bucket of a minute's requests, refilled every second: bursts up to the limit, then a steady rate.
    private static RateLimitPartition<string> Bucket(string partition, int perMinute) =>
        RateLimitPartition.GetTokenBucketLimiter(partition + "/" + perMinute.ToString(CultureInfo.InvariantCulture), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = Math.Max(1, perMinute / 60),
            ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / perMinute),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? ApiProblems.RetryAfterSeconds(retryAfter) : 60;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        ServerLog.RateLimited(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits).FullName!),
            http.Request.Path.Value ?? "", http.User.Identity?.Name ?? ClientAddress(http));
        if (http.Request.Path.StartsWithSegments("/v2", StringComparison.OrdinalIgnoreCase))
        {
            // Twilio's libraries read only Twilio's error body: its 20429, with the same Retry-After.
            await new TwilioVerify.TwilioError(TwilioVerify.TwilioError.TooManyRequests, StatusCodes.Status429TooManyRequests,
                $"Too many requests; try again in {seconds} seconds.", TimeSpan.FromSeconds(seconds)).ExecuteAsync(http);
            return;
        }

        var details = ApiProblems.Details(StatusCodes.Status429TooManyRequests, "rate_limited", $"Too many requests; try again in {seconds} seconds.");
        details.Extensions["retryAfter"] = seconds;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = details });
    }
}
