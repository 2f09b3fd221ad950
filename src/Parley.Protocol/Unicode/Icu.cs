using System.Buffers;

namespace Parley.Protocol.Unicode;

/// <summary>
/// The few ICU functions .NET does not offer: full case folding, the Script property, binary and
/// decomposition properties, and UTS #39 skeletons. Each call is safe from any thread.
/// </summary>
internal static unsafe class Icu
{
    /// <summary><c>USCRIPT_COMMON</c>: digits, punctuation, symbols shared by scripts.</summary>
    public const int ScriptCommon = 0;
    /// <summary><c>USCRIPT_INHERITED</c>: most combining marks, which take their base's script.</summary>
    public const int ScriptInherited = 1;
    /// <summary><c>USCRIPT_BOPOMOFO</c>.</summary>
    public const int ScriptBopomofo = 5;
    /// <summary><c>USCRIPT_HAN</c>.</summary>
    public const int ScriptHan = 17;
    /// <summary><c>USCRIPT_HANGUL</c>.</summary>
    public const int ScriptHangul = 18;
    /// <summary><c>USCRIPT_HIRAGANA</c>.</summary>
    public const int ScriptHiragana = 20;
    /// <summary><c>USCRIPT_KATAKANA</c>.</summary>
    public const int ScriptKatakana = 22;
    /// <summary><c>USCRIPT_KATAKANA_OR_HIRAGANA</c>.</summary>
    public const int ScriptKatakanaOrHiragana = 54;
    /// <summary><c>USCRIPT_UNKNOWN</c>: unassigned, private-use and noncharacter code points.</summary>
    public const int ScriptUnknown = 103;

    private const int DefaultIgnorableCodePoint = 5; // UCHAR_DEFAULT_IGNORABLE_CODE_POINT
    private const int SoftDotted = 27; // UCHAR_SOFT_DOTTED
    private const int DecompositionType = 0x1003; // UCHAR_DECOMPOSITION_TYPE
    private const int DecompositionNarrow = 10; // U_DT_NARROW
    private const int DecompositionWide = 17; // U_DT_WIDE
    private const int BufferOverflow = 15; // U_BUFFER_OVERFLOW_ERROR
    private const int StackBufferChars = 256;

    /// <summary>Unicode default case folding, full (ß → ss), not Turkic: ICU's <c>u_strFoldCase</c> with options 0.</summary>
    public static string FoldCase(string text)
    {
        // full folding lengthens a string at most threefold (U+0390 ΐ becomes ι and two accents)
        return Transform(text, text.Length * 3, static (source, sourceLength, destination, capacity, status) =>
            IcuLibrary.Instance.FoldCase(destination, capacity, source, sourceLength, 0, status));
    }

    /// <summary>The UTS #39 skeleton of <paramref name="text"/>: ICU's <c>uspoof_getSkeleton</c>.</summary>
    public static string Skeleton(string text)
    {
        // the type argument has been ignored since ICU 58
        return Transform(text, text.Length * 4, static (source, sourceLength, destination, capacity, status) =>
            IcuLibrary.Instance.GetSkeleton(IcuLibrary.Instance.SpoofChecker, 0, source, sourceLength, destination, capacity, status));
    }

    /// <summary>The Script property of a code point (a <c>UScriptCode</c>).</summary>
    public static int ScriptOf(int codePoint)
    {
        int status = 0;
        var script = IcuLibrary.Instance.GetScript(codePoint, &status);
        return status > 0 ? ScriptUnknown : script;
    }

    /// <summary>Whether a code point has Default_Ignorable_Code_Point: shown as nothing at all when not supported.</summary>
    public static bool IsDefaultIgnorable(int codePoint) =>
        IcuLibrary.Instance.HasBinaryProperty(codePoint, DefaultIgnorableCodePoint) != 0;

    /// <summary>Whether a code point has Soft_Dotted: a letter whose dot an accent above replaces (i, j, і).</summary>
    public static bool IsSoftDotted(int codePoint) =>
        IcuLibrary.Instance.HasBinaryProperty(codePoint, SoftDotted) != 0;

    /// <summary>Whether a code point is a full-width or half-width form (decomposition type wide or narrow).</summary>
    public static bool IsWidthForm(int codePoint) =>
        IcuLibrary.Instance.GetIntPropertyValue(codePoint, DecompositionType) is DecompositionNarrow or DecompositionWide;

    private delegate int Conversion(char* source, int sourceLength, char* destination, int capacity, int* status);

    // ICU's preflighting convention: a call with too small a buffer says how much it needs
    private static string Transform(string text, int expectedLength, Conversion convert)
    {
        Span<char> onStack = stackalloc char[StackBufferChars];
        var capacity = expectedLength;
        while (true)
        {
            var rented = capacity > StackBufferChars ? ArrayPool<char>.Shared.Rent(capacity) : null;
            var buffer = rented is null ? onStack : rented;
            try
            {
                int status = 0;
                int length;
                fixed (char* source = text)
                fixed (char* destination = buffer)
                {
                    length = convert(source, text.Length, destination, buffer.Length, &status);
                }
                if (status == BufferOverflow)
                {
                    capacity = length;
                    continue;
                }
                if (status > 0)
                {
                    throw new InvalidOperationException($"ICU failed on a string of {text.Length} UTF-16 units (UErrorCode {status}).");
                }
                return new string(buffer[..length]);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<char>.Shared.Return(rented);
                }
            }
        }
    }
}
