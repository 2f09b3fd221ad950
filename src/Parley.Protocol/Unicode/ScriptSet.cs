namespace Parley.Protocol.Unicode;

/// <summary>
/// The scripts of a string's code points, and whether they make one script as UTS #39's augmented
/// script sets count them: Common and Inherited (digits, <c>_</c>, most combining marks) count for
/// none, and Japanese (Han, Hiragana, Katakana), Korean (Han, Hangul) and Chinese (Han, Bopomofo)
/// count as one script each.
/// </summary>
internal struct ScriptSet
{
    private const int Han = 1, Hiragana = 2, Katakana = 4, Hangul = 8, Bopomofo = 16;
    private const int Japanese = Han | Hiragana | Katakana;
    private const int Korean = Han | Hangul;
    private const int Chinese = Han | Bopomofo;

    private int _eastAsian;
    private int _other;
    private bool _severalOthers;

    /// <summary>Counts the script of one code point (a <c>UScriptCode</c>).</summary>
    public void Add(int script)
    {
        var eastAsian = script switch
        {
            Icu.ScriptHan => Han,
            Icu.ScriptHiragana => Hiragana,
            Icu.ScriptKatakana => Katakana,
            Icu.ScriptKatakanaOrHiragana => Hiragana | Katakana,
            Icu.ScriptHangul => Hangul,
            Icu.ScriptBopomofo => Bopomofo,
            _ => 0,
        };
        if (eastAsian != 0)
        {
            _eastAsian |= eastAsian;
        }
        else if (script is not (Icu.ScriptCommon or Icu.ScriptInherited))
        {
            // UScriptCode 0 is Common, so 0 can stand for "none yet"
            _severalOthers |= _other != 0 && _other != script;
            _other = script;
        }
    }

    /// <summary>True when the scripts seen make one script (or none: a name of digits).</summary>
    public readonly bool IsSingleScript =>
        _other == 0
            ? (_eastAsian & ~Japanese) == 0 || (_eastAsian & ~Korean) == 0 || (_eastAsian & ~Chinese) == 0
            : !_severalOthers && _eastAsian == 0;
}
