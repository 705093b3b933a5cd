using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Providers.Smartpay;

/// <summary>
/// The customer's first and last name, which Smartpay uses for its approval. Snipcart's own fields when it sends them
/// (<c>firstName</c>/<c>lastName</c>, or <c>name</c> and <c>surname</c>); otherwise the single name field is split. A
/// name written in Japanese script is family name first (山田 花子, often separated by the ideographic space U+3000); a
/// name in Latin letters is given name first, split at its last space.
/// </summary>
public static class SmartpayNames
{
    private const char IdeographicSpace = '\u3000';

    public static (string? First, string? Last) Of(SnipcartAddress? address)
    {
        if (Blank(address?.FirstName) is { } first && Blank(address?.LastName) is { } last)
        {
            return (first, last);
        }
        var name = Blank(address?.Name);
        if (Blank(address?.Surname) is { } surname)
        {
            return (name, surname);
        }
        return name is null ? (null, null) : Split(name);
    }

    public static (string? First, string? Last) Split(string name)
    {
        var parts = name.Split([' ', IdeographicSpace], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length < 2)
        {
            return (null, name.Trim());
        }
        if (FamilyNameFirst(name))
        {
            return (string.Join(' ', parts[1..]), parts[0]);
        }
        return (string.Join(' ', parts[..^1]), parts[^1]);
    }

    /// <summary>Japanese script (kanji, hiragana, katakana) or the ideographic space: family name first.</summary>
    private static bool FamilyNameFirst(string name) =>
        name.Any(c => c == IdeographicSpace || c is >= '\u3040' and <= '\u30FF' || c is >= '\u4E00' and <= '\u9FFF' || c is >= '\uFF66' and <= '\uFF9F');

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
