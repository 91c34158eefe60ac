namespace OtpGate.Verification.Fraud;

/// <summary>
/// A service's own spend caps (<c>Services:&lt;name&gt;:Spend:DailyCap|MonthlyCap</c>), in the deployment's currency;
/// 0 for none. They apply besides the overall caps of <see cref="SpendOptions"/>.
/// </summary>
public sealed record SpendCaps
{
    public decimal DailyCap { get; init; }

    public decimal MonthlyCap { get; init; }
}
