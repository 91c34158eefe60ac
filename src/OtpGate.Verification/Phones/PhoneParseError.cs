namespace OtpGate.Verification.Phones;

/// <summary>Why a phone number was refused. Each value has a plain-words <see cref="PhoneParseResult.Message"/>.</summary>
public enum PhoneParseError
{
    /// <summary>No input, or only white space.</summary>
    Empty,
    /// <summary>The input is not a phone number (letters, or no digits at all).</summary>
    NotANumber,
    /// <summary>The country calling code is not assigned to any country.</summary>
    UnknownCountryCode,
    /// <summary>Too few digits for a number of its country.</summary>
    TooShort,
    /// <summary>Too many digits for a number of its country (or more than 15 in all).</summary>
    TooLong,
    /// <summary>The digits do not form a valid number for the region they belong to.</summary>
    InvalidForRegion,
}
