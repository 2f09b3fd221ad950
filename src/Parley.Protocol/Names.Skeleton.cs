using System.Text;
using Parley.Protocol.Unicode;

namespace Parley.Protocol;

/// <summary>The confusable skeleton that keeps names that look alike from being two names.</summary>
public static partial class Names
{
    /// <summary>
    /// The UTS #39 confusable skeleton of a name, a key or a room (<c>#name</c>): two names whose
    /// skeletons are equal look alike (<c>аdmin</c> with a Cyrillic <c>а</c> and <c>admin</c>;
    /// <c>rn</c> and <c>m</c>; <c>aIice</c> with a capital I and <c>alice</c>), so at most one of them
    /// may be in use. Case-insensitive like the names: a name, its display form and its key have one
    /// skeleton. Computed for any string, valid name or not (default-ignorable code points are left out
    /// first); not for display. Throws <see cref="ArgumentException"/> for a string that is not
    /// well-formed UTF-16.
    /// </summary>
    public static string SkeletonOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IsRoom(name) ? "#" + SkeletonOfBare(name[1..]) : SkeletonOfBare(name);
    }

    private static string SkeletonOfBare(string name)
    {
        var key = KeyOf(WithoutDefaultIgnorables(WidthMapping.Apply(name).Normalize(NormalizationForm.FormC)));
        // A skeleton is case-sensitive (I becomes l, i stays i) and a name is shown in any case: the
        // key's skeleton, upper-cased, skeleton again, folded, skeleton again makes I, l, 1 and i one
        // letter in every case, so aIice, AIice, alice and Alice collide whoever holds which
        var lowerSkeleton = Icu.Skeleton(key);
        return Icu.Skeleton(Icu.FoldCase(Icu.Skeleton(lowerSkeleton.ToUpperInvariant())));
    }

    private static string WithoutDefaultIgnorables(string text)
    {
        var kept = new StringBuilder(text.Length);
        Span<char> units = stackalloc char[2];
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Icu.IsDefaultIgnorable(rune.Value))
            {
                kept.Append(units[..rune.EncodeToUtf16(units)]);
            }
        }
        return kept.Length == text.Length ? text : kept.ToString();
    }
}
