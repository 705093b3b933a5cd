using System.Numerics;

namespace SnipcartGateway.Providers.Smartpay;

/// <summary>
/// Base62 as Smartpay's Node SDK decodes webhook signing secrets (the <c>base-x</c> package): the alphabet is
/// upper case first, the string is one big-endian number, and each leading 'A' (the zero digit) is one leading
/// zero byte.
/// </summary>
public static class Base62
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static bool IsValid(string? text) => !string.IsNullOrEmpty(text) && text.All(c => Alphabet.Contains(c));

    public static byte[] Decode(string text)
    {
        if (!IsValid(text))
        {
            throw new FormatException("Not a Base62 string.");
        }
        var zeros = 0;
        while (zeros < text.Length && text[zeros] == Alphabet[0])
        {
            zeros++;
        }
        var value = BigInteger.Zero;
        foreach (var c in text.AsSpan(zeros))
        {
            value = value * 62 + Alphabet.IndexOf(c);
        }
        var digits = zeros == text.Length ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var bytes = new byte[zeros + digits.Length];
        digits.CopyTo(bytes, zeros);
        return bytes;
    }

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var zeros = 0;
        while (zeros < bytes.Length && bytes[zeros] == 0)
        {
            zeros++;
        }
        var value = new BigInteger(bytes[zeros..], isUnsigned: true, isBigEndian: true);
        var digits = new StringBuilder();
        while (value > 0)
        {
            digits.Insert(0, Alphabet[(int)(value % 62)]);
            value /= 62;
        }
        return new string(Alphabet[0], zeros) + digits;
    }
}
