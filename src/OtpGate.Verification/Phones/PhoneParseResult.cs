namespace OtpGate.Verification.Phones;

/// <summary>The outcome of <see cref="PhoneNumberParser.Parse(string?)"/>: a number, or an error with its reason.</summary>
public sealed record PhoneParseResult
{
    private PhoneParseResult(PhoneNumber? number, PhoneParseError? error, string? message)
    {
        Number = number;
        Error = error;
        Message = message;
    }

    /// <summary>The parsed number when <see cref="IsValid"/>.</summary>
    public PhoneNumber? Number { get; }

    /// <summary>Why the input was refused, when it was.</summary>
    public PhoneParseError? Error { get; }

    /// <summary>A full sentence saying what is wrong, fit to show to the person who typed it.</summary>
    public string? Message { get; }

    /// <summary>True when the input is a valid number.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Number))]
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Error), nameof(Message))]
    public bool IsValid => Number is not null;

    /// <summary>A successful result.</summary>
    public static PhoneParseResult Valid(PhoneNumber number) => new(number, null, null);

    /// <summary>A refusal with its reason and message.</summary>
    public static PhoneParseResult Invalid(PhoneParseError error, string message) => new(null, error, message);
}
