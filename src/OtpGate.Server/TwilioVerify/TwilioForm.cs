using System.Globalization;
using Microsoft.AspNetCore.Http.Features;

namespace OtpGate.Server.TwilioVerify;

/// <summary>
/// A <c>/v2</c> request's parameters: the form body of a POST (Twilio's libraries send
/// <c>application/x-www-form-urlencoded</c>), or nothing. Names are Twilio's (<c>To</c>, <c>Channel</c>, ...).
/// Parameters Twilio defines that OtpGate does not use are read by nobody, so they are accepted and ignored.
/// </summary>
internal sealed class TwilioForm
{
    private static readonly TwilioForm Empty = new(FormCollection.Empty);

    private readonly IFormCollection _form;

    private TwilioForm(IFormCollection form) => _form = form;

    /// <summary>The form, or the error to answer when the body cannot be read as one.</summary>
    public static async Task<(TwilioForm? Form, TwilioError? Error)> ReadAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            // A body in another type says nothing Twilio's API would read; a POST without parameters is valid.
            return (Empty, null);
        }

        try
        {
            var form = await context.Request.ReadFormAsync(new FormOptions { ValueCountLimit = 64, KeyLengthLimit = 128 }, context.RequestAborted);
            return (new TwilioForm(form), null);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (null, new TwilioError(TwilioError.InvalidParameter, StatusCodes.Status400BadRequest,
                "The request body could not be read as a form (application/x-www-form-urlencoded) of at most 16 KiB."));
        }
    }

    /// <summary>The parameter's value, or null when it was not sent (an empty value counts as not sent).</summary>
    public string? this[string name] => _form.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    /// <summary>A boolean parameter (<c>true</c> or <c>false</c>, as Twilio's libraries send them); null when not sent.</summary>
    public bool TryBool(string name, out bool? value)
    {
        value = null;
        if (this[name] is not { } text)
        {
            return true;
        }

        if (bool.TryParse(text, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    /// <summary>An integer parameter within bounds; null when not sent.</summary>
    public bool TryInt(string name, int min, int max, out int? value)
    {
        value = null;
        if (this[name] is not { } text)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max)
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
