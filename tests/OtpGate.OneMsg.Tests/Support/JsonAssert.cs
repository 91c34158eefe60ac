using System.Text.Json;

namespace OtpGate.OneMsg.Tests.Support;

public static class JsonAssert
{
    /// <summary>Same keys, same value kinds, same values, recursively; the path of the first difference is reported.</summary>
    public static void Equivalent(JsonElement expected, JsonElement actual, string path = "$")
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: expected a {expected.ValueKind}, got a {actual.ValueKind} ({actual.GetRawText()})");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedNames = expected.EnumerateObject().Select(p => p.Name).Order().ToArray();
                var actualNames = actual.EnumerateObject().Select(p => p.Name).Order().ToArray();
                Assert.True(expectedNames.SequenceEqual(actualNames),
                    $"{path}: expected keys [{string.Join(", ", expectedNames)}], got [{string.Join(", ", actualNames)}]");
                foreach (var property in expected.EnumerateObject())
                {
                    Equivalent(property.Value, actual.GetProperty(property.Name), $"{path}.{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{path}: expected {expected.GetArrayLength()} items, got {actual.GetArrayLength()}");
                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    Equivalent(expected[i], actual[i], $"{path}[{i}]");
                }

                break;
            default:
                Assert.True(expected.GetRawText() == actual.GetRawText(), $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
                break;
        }
    }
}
