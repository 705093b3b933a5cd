using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace SnipcartGateway.Sandbox.Smartpay;

/// <summary>Smartpay's Base62 (upper case first, base-x style) and its webhook signature, on the provider's side.</summary>
public static class SmartpaySimSignature
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Sign(string signingSecret, long timestampMs, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Decode(signingSecret), Encoding.UTF8.GetBytes($"{timestampMs}.{body}")));

    /// <summary>A new signing secret: 30 random bytes in Base62, the length of the SDKs' published example.</summary>
    public static string NewSigningSecret()
    {
        var bytes = RandomNumberGenerator.GetBytes(30);
        bytes[0] |= 1; // no leading zero byte, so the text has no leading 'A'
        return Encode(bytes);
    }

    /// <summary>Random Base62 text, for ids shaped like Smartpay's (order_test_RiYq2rthzRHrkKVGeucSwn).</summary>
    public static string RandomText(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    public static byte[] Decode(string text)
    {
        var zeros = 0;
        while (zeros < text.Length && text[zeros] == 'A')
        {
            zeros++;
        }
        var value = BigInteger.Zero;
        foreach (var c in text.AsSpan(zeros))
        {
            var digit = Alphabet.IndexOf(c);
            if (digit < 0)
            {
                throw new FormatException("Not Base62.");
            }
            value = value * 62 + digit;
        }
        byte[] digits = zeros == text.Length ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var bytes = new byte[zeros + digits.Length];
        digits.CopyTo(bytes, zeros);
        return bytes;
    }

    public static string Encode(byte[] bytes)
    {
        var zeros = 0;
        while (zeros < bytes.Length && bytes[zeros] == 0)
        {
            zeros++;
        }
        var value = new BigInteger(bytes.AsSpan(zeros), isUnsigned: true, isBigEndian: true);
        var text = new StringBuilder();
        while (value > 0)
        {
            text.Insert(0, Alphabet[(int)(value % 62)]);
            value /= 62;
        }
        return new string('A', zeros) + text;
    }
}
