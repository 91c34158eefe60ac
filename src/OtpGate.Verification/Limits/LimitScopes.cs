using System.Net;
using System.Net.Sockets;

namespace OtpGate.Verification.Limits;

/// <summary>The keys limit events are counted under, and the limit names refusals carry.</summary>
internal static class LimitScopes
{
    public static string PhoneSends(string phone) => "send:" + phone;

    /// <summary>The turn taken by whatever may make a verification for the phone pending: a start, a revive.</summary>
    public static string PhoneTurn(string phone) => "phone:" + phone;

    public static string PhoneFailures(string phone) => "fail:" + phone;

    /// <summary>One starter's failed checks for one phone: who started the verification (owner and client address).</summary>
    public static string StarterFailures(string phone, string starter) => "fail:" + phone + ":" + starter;

    public static string IpStarts(string ip) => "start:" + AddressBlock(ip);

    /// <summary>
    /// What one client is, for the per-address limit: an IPv4 address, or an IPv6 address's /64. A subscriber's line
    /// gets at least a /64 (RFC 6177), and a device picks any address in it at will (RFC 8981), so counting IPv6
    /// addresses one by one let one client start as many times over as it had addresses.
    /// </summary>
    public static string AddressBlock(string ip)
    {
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6 || address.IsIPv4MappedToIPv6)
        {
            return ip;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public const string Budget = "budget";
}

/// <summary>The limit names shown to clients (the <c>limit</c> of a <c>rate_limited</c> refusal).</summary>
public static class LimitNames
{
    public const string PhoneSends10Minutes = "phone_sends_10m";
    public const string PhoneSendsDay = "phone_sends_24h";
    public const string PhoneFailedChecks = "phone_failed_checks_24h";
    public const string FailedChecksDelay = "failed_checks_delay";
    public const string IpStarts10Minutes = "ip_starts_10m";
    public const string VerificationSends = "verification_sends";
    public const string DailyBudget = "daily_send_budget";
}
