using System.Security.Cryptography;

namespace Parley.Client.Internal;

/// <summary>
/// Makes frame ids: a random prefix per client and a counter, e.g. <c>k3x9f2abq7m4w1zd.1f</c>.
/// The server keeps a send's id for 24 hours per user, so an id must never repeat across processes
/// of the same user: the 80 random bits of the prefix see to that; the counter keeps ids short and
/// the ids of one client recognisable in logs.
/// </summary>
internal sealed class FrameIdGenerator
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuv"; // base 32, lowercase
    private readonly string _prefix;
    private long _counter;

    public FrameIdGenerator()
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        Span<char> prefix = stackalloc char[16];
        for (var i = 0; i < prefix.Length; i++)
        {
            prefix[i] = Alphabet[random[i] & 31];
        }
        _prefix = new string(prefix) + ".";
    }

    /// <summary>The next id: at most 30 characters, so well within the protocol's 64.</summary>
    public string Next()
    {
        var n = (ulong)Interlocked.Increment(ref _counter);
        Span<char> digits = stackalloc char[13];
        var at = digits.Length;
        do
        {
            digits[--at] = Alphabet[(int)(n & 31)];
            n >>= 5;
        }
        while (n != 0);
        return string.Concat(_prefix, digits[at..]);
    }
}
