"""Extract face 0 of wqy-microhei.ttc and subset it to GB2312 + ASCII + CJK punctuation."""
from fontTools.ttLib import TTCollection
from fontTools import subset
import sys
ttc = TTCollection("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
font = ttc.fonts[0]
chars = set(range(0x20, 0x7F)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
chars |= {0xB7, 0xD7, 0xF7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2030, 0x2103, 0x2116, 0x2160, 0x2264, 0x2265, 0x2248, 0x2260, 0x2212, 0x25CB, 0x25CF, 0x25B2, 0x25BC, 0x2191, 0x2193, 0x2192, 0x00B1, 0x2022}
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(ord(bytes([hi, lo]).decode("gb2312")))
        except UnicodeDecodeError:
            pass
# a few characters common in place names outside GB2312
for ch in "亓冇坜垚堃昇晟珺琍琇玥璟鑫喆淏溧":
    chars.add(ord(ch))
opts = subset.Options()
opts.layout_features = ["*"]
opts.name_IDs = ["*"]
opts.name_languages = ["*"]
opts.notdef_outline = True
opts.glyph_names = False
opts.hinting = False
sub = subset.Subsetter(opts)
sub.populate(unicodes=sorted(chars))
sub.subset(font)
font.save(sys.argv[1])
print(len(chars))
