using System.Reflection;

namespace Parley.Server.Core;

/// <summary>
/// The most common passwords (17,950 of 8 characters or more, from zxcvbn's list; see
/// <c>Data/common-passwords.txt</c>), which <c>register</c> refuses as weak, as NIST SP 800-63B asks of a
/// list of passwords "commonly used, expected or compromised". Compared without regard to case.
/// </summary>
internal static class CommonPasswords
{
    private static readonly Lazy<HashSet<string>> s_all = new(Load);

    /// <summary>True when <paramref name="password"/> is one of them.</summary>
    public static bool Contains(string password) => s_all.Value.Contains(password);

    /// <summary>How many there are.</summary>
    public static int Count => s_all.Value.Count;

    private static HashSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Parley.Server.CommonPasswords.txt")
            ?? throw new InvalidOperationException("The list of common passwords is not in the server's assembly.");
        using var reader = new StreamReader(stream);
        var passwords = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                passwords.Add(line);
            }
        }
        return passwords;
    }
}
