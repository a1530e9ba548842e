"""Demo content. Facility facts follow public reporting (pijarpena.id, Nov 2025); products for units
with no reported production are plausible for the region and say so. All of it is demo data."""

DEMO_NOTE = "Data contoh (demo): harga, stok dan foto bukan data resmi."

# (slug, name, name_en, children[(slug, name, name_en)])
CATEGORIES = [
    ("makanan-minuman", "Makanan & Minuman", "Food & Drink", [
        ("sambal", "Sambal", "Chilli paste"),
        ("keripik", "Keripik & Camilan", "Chips & Snacks"),
        ("rempah", "Rempah & Sirup", "Spices & Syrups"),
        ("minyak", "Minyak Kelapa", "Coconut Oil"),
    ]),
    ("hasil-pertanian", "Hasil Pertanian & Peternakan", "Farm & Livestock", [
        ("sayur", "Sayuran", "Vegetables"),
        ("hasil-tani", "Hasil Tani", "Farm Produce"),
        ("ternak", "Ternak & Hasil Laut", "Livestock & Seafood"),
    ]),
    ("kerajinan", "Kerajinan Tangan", "Handicrafts", [
        ("kerajinan-kayu", "Kerajinan Kayu", "Woodcraft"),
        ("rajutan", "Rajutan", "Knitwear"),
        ("anyaman", "Anyaman", "Weaving"),
        ("kerajinan-sisik", "Kerajinan Sisik Ikan", "Fish-scale Craft"),
    ]),
    ("mebel-bangunan", "Mebel & Bahan Bangunan", "Furniture & Building", [
        ("mebel", "Mebel", "Furniture"),
        ("bahan-bangunan", "Bahan Bangunan", "Building Materials"),
    ]),
]

_HOURS = "Senin–Jumat 08.00–15.00 WIT, Sabtu 08.00–12.00 WIT"

# Demo courier rates per zone: (first kg, each further kg), whole rupiah.
SHIPPING_RATES = {"same_town": (10_000, 4_000), "north_maluku": (25_000, 10_000),
                  "indonesia": (55_000, 22_000)}

# Demo contact and map details per facility: (regency code, WhatsApp, latitude, longitude,
# pickup street). Numbers and points are demo data (approximate town centres), not the units'
# real lines; the Kanwil sets the real ones in /admin/manage/facilities.
FACILITY_PLACES = {
    "lapas-ternate": ("82.71", "+6281200000101", 0.7431, 127.3196, None),
    "lpp-ternate": ("82.71", "+6281200000102", 0.7936, 127.3775,
                    "Jl. Pahlawan Revolusi, Kel. Kalumpang, Kec. Kota Ternate Tengah, "
                    "Kota Ternate 97716 (demo)"),
    "lpka-ternate": ("82.71", "+6281200000103", 0.8128, 127.3836,
                     "Jl. Yos Sudarso, Kel. Dufa-Dufa, Kec. Kota Ternate Utara, "
                     "Kota Ternate 97727 (demo)"),
    "rutan-ternate": ("82.71", "+6281200000104", 0.7794, 127.3728,
                      "Jl. Sultan Babullah, Kel. Santiong, Kec. Kota Ternate Tengah, "
                      "Kota Ternate 97716 (demo)"),
    "rutan-soasio": ("82.72", "+6281200000105", 0.6780, 127.4047, None),
    "rutan-weda": ("82.02", "+6281200000106", 0.3493, 127.8660, None),
    "lapas-tobelo": ("82.03", "+6281200000107", 1.7420, 127.9890, None),
    "lapas-jailolo": ("82.01", "+6281200000108", 1.0861, 127.4960, None),
    "lapas-sanana": ("82.05", "+6281200000109", -2.0560, 125.9860, None),
    "lapas-labuha": ("82.04", "+6281200000110", -0.6290, 127.4860, None),
}

FACILITIES = [
    dict(
        slug="lapas-ternate", name="Lapas Kelas IIA Ternate", kind="lapas", facility_class="IIA",
        town="Jambula", regency="Kota Ternate",
        address="Jl. Raya Jambula, Kel. Jambula, Kec. Pulau Ternate, Kota Ternate 97751",
        phone="+62921000101", email="lapas.ternate@etalasebinaan.test", opening_hours=_HOURS,
        profile="Lapas terbesar di Maluku Utara. Warga binaan belajar pertukangan kayu dan membuat "
        "perahu miniatur maupun perahu sungguhan, mebel dan hiasan dinding, serta bertani cabai, "
        "singkong dan beternak ayam pedaging di lahan pembinaan.",
        profile_en="The largest prison in North Maluku. Inmates learn carpentry and build "
        "miniature and real wooden boats, furniture and wall decorations, and farm chilli, "
        "cassava and broiler chickens on the training grounds.",
        programmes="Pertukangan kayu\nPembuatan perahu\nPertanian cabai dan singkong\n"
        "Peternakan ayam",
        programmes_en="Carpentry\nBoat building\nChilli and cassava farming\nPoultry",
        premi_percent=50, pnbp_percent=15, capital_percent=35,
    ),
    dict(
        slug="lpp-ternate", name="Lapas Perempuan Kelas III Ternate", kind="lpp",
        facility_class="III", town="Ternate", regency="Kota Ternate",
        address="Kota Ternate, Maluku Utara", phone="+62921000102",
        email="lpp.ternate@etalasebinaan.test", opening_hours=_HOURS,
        profile="Lapas khusus perempuan. Program kemandirian mengolah ikan roa asap menjadi sambal "
        "roa, membuat keripik, dan merajut tas.",
        profile_en="The women's prison. Its work programmes turn smoked roa fish into sambal roa, "
        "make chips and knit bags.",
        programmes="Pengolahan sambal roa\nPembuatan keripik\nRajutan",
        programmes_en="Sambal roa kitchen\nChips making\nKnitting",
        premi_percent=60, pnbp_percent=15, capital_percent=25,
    ),
    dict(
        slug="lpka-ternate", name="LPKA Kelas II Ternate", kind="lpka", facility_class="II",
        town="Ternate", regency="Kota Ternate", address="Kota Ternate, Maluku Utara",
        phone="+62921000103", email="lpka.ternate@etalasebinaan.test", opening_hours=_HOURS,
        profile="Lembaga pembinaan khusus anak. Pelatihan keterampilan berfokus pada anyaman dan "
        "kerajinan sederhana. (Produk di sini adalah contoh demo; tidak ada laporan publik.)",
        profile_en="The juvenile training centre. Skills training focuses on weaving and simple "
        "crafts. (Products here are demo examples; no public report was found.)",
        programmes="Anyaman bambu dan pandan\nKerajinan tangan",
        programmes_en="Bamboo and pandan weaving\nHandicrafts",
        premi_percent=50, pnbp_percent=15, capital_percent=35,
    ),
    dict(
        slug="rutan-ternate", name="Rutan Kelas IIB Ternate", kind="rutan", facility_class="IIB",
        town="Ternate", regency="Kota Ternate", address="Kota Ternate, Maluku Utara",
        phone="+62921000104", email="rutan.ternate@etalasebinaan.test", opening_hours=_HOURS,
        profile="Rumah tahanan di Kota Ternate. Pelatihan pengolahan rempah khas Ternate. "
        "(Produk di sini adalah contoh demo; tidak ada laporan publik.)",
        profile_en="The remand centre of Ternate city. Training in processing Ternate's spices. "
        "(Products here are demo examples; no public report was found.)",
        programmes="Pengolahan rempah\nPengemasan produk",
        programmes_en="Spice processing\nProduct packing",
        premi_percent=50, pnbp_percent=15, capital_percent=35,
    ),
    dict(
        slug="rutan-soasio", name="Rutan Kelas IIB Soasio", kind="rutan", facility_class="IIB",
        town="Soasio", regency="Kota Tidore Kepulauan",
        address="Soasio, Kota Tidore Kepulauan, Maluku Utara", phone="+62921000105",
        email="rutan.soasio@etalasebinaan.test", opening_hours=_HOURS,
        profile="Rumah tahanan di Tidore, pulau rempah. Pelatihan mengolah pala dan cengkih. "
        "(Produk di sini adalah contoh demo; tidak ada laporan publik.)",
        profile_en="The remand centre on Tidore, the spice island. Training in processing nutmeg "
        "and cloves. (Products here are demo examples; no public report was found.)",
        programmes="Pengolahan pala dan cengkih\nPembuatan sirup pala",
        programmes_en="Nutmeg and clove processing\nNutmeg syrup",
        premi_percent=50, pnbp_percent=15, capital_percent=35,
    ),
    dict(
        slug="rutan-weda", name="Rutan Kelas IIB Weda", kind="rutan", facility_class="IIB",
        town="Weda", regency="Kabupaten Halmahera Tengah",
        address="Weda, Kabupaten Halmahera Tengah, Maluku Utara", phone="+62921000106",
        email="rutan.weda@etalasebinaan.test", opening_hours=_HOURS,
        profile="Rumah tahanan di Halmahera Tengah. Pelatihan pengolahan kelapa. "
        "(Produk di sini adalah contoh demo; tidak ada laporan publik.)",
        profile_en="The remand centre of Central Halmahera. Training in coconut processing. "
        "(Products here are demo examples; no public report was found.)",
        programmes="Pengolahan minyak kelapa\nAnyaman daun kelapa",
        programmes_en="Coconut oil\nCoconut-leaf weaving",
        premi_percent=50, pnbp_percent=15, capital_percent=35,
    ),
    dict(
        slug="lapas-tobelo", name="Lapas Kelas IIB Tobelo", kind="lapas", facility_class="IIB",
        town="Gorua", regency="Kabupaten Halmahera Utara",
        address="Gorua, Kec. Tobelo Utara, Kabupaten Halmahera Utara", phone="+62921000107",
        email="lapas.tobelo@etalasebinaan.test", opening_hours=_HOURS,
        profile="Warga binaan mencetak batu bata, membudidayakan kepiting kenari dan menanam "
        "caisim di lahan pembinaan.",
        profile_en="Inmates make bricks, raise coconut crabs and grow caisim greens on the "
        "training grounds.",
        programmes="Pencetakan batu bata\nBudidaya kepiting kenari\nHortikultura",
        programmes_en="Brick making\nCoconut-crab farming\nHorticulture",
        premi_percent=70, pnbp_percent=30, capital_percent=0,
    ),
    dict(
        slug="lapas-jailolo", name="Lapas Kelas IIB Jailolo", kind="lapas", facility_class="IIB",
        town="Jailolo", regency="Kabupaten Halmahera Barat",
        address="Jailolo, Kabupaten Halmahera Barat, Maluku Utara", phone="+62921000108",
        email="lapas.jailolo@etalasebinaan.test", opening_hours=_HOURS,
        profile="Program kemandirian di bidang pertanian, peternakan dan pembuatan gazebo kayu.",
        profile_en="Work programmes in farming, livestock and building wooden gazebos.",
        programmes="Pertanian\nPeternakan\nPembuatan gazebo",
        programmes_en="Farming\nLivestock\nGazebo building",
        premi_percent=50, pnbp_percent=15, capital_percent=35,
    ),
    dict(
        slug="lapas-sanana", name="Lapas Kelas IIB Sanana", kind="lapas", facility_class="IIB",
        town="Sanana", regency="Kabupaten Kepulauan Sula",
        address="Sanana, Kabupaten Kepulauan Sula, Maluku Utara", phone="+62921000109",
        email="lapas.sanana@etalasebinaan.test", opening_hours=_HOURS,
        profile="Kerajinan kayu jati seperti kotak tisu, kerajinan sisik ikan, dan sawah padi.",
        profile_en="Teak crafts such as tissue boxes, fish-scale crafts, and rice fields.",
        programmes="Kerajinan kayu jati\nKerajinan sisik ikan\nPersawahan",
        programmes_en="Teak woodcraft\nFish-scale craft\nRice farming",
        premi_percent=60, pnbp_percent=15, capital_percent=25,
    ),
    dict(
        slug="lapas-labuha", name="Lapas Kelas III Labuha", kind="lapas", facility_class="III",
        town="Labuha", regency="Kabupaten Halmahera Selatan",
        address="Labuha, Pulau Bacan, Kabupaten Halmahera Selatan", phone="+62921000110",
        email="lapas.labuha@etalasebinaan.test", opening_hours=_HOURS,
        profile="Kebun hidroponik dan lahan sayur: pakcoy, selada, buncis dan sawi.",
        profile_en="Hydroponic and field vegetable gardens: pak choi, lettuce, beans and mustard "
        "greens.",
        programmes="Hidroponik\nSayuran lahan terbuka",
        programmes_en="Hydroponics\nField vegetables",
        premi_percent=50, pnbp_percent=15, capital_percent=35,
    ),
]


def _p(slug, name, category, price, unit, weight, stock, description, *, name_en=None,
       description_en=None, flagship=False, perishable=False, pirt=None, bpom=None, halal=None):
    return dict(
        slug=slug, name=name, name_en=name_en, category=category, price=price, unit=unit,
        weight_grams=weight, stock=stock, description=description, description_en=description_en,
        is_flagship=flagship, flagship_year=None, is_perishable=perishable,  # year: the seed
        pirt_number=pirt, bpom_number=bpom, halal_number=halal,
    )


PRODUCTS = {
    "lapas-ternate": [
        _p("perahu-miniatur-kayu", "Perahu Miniatur Kayu", "kerajinan-kayu", 350_000, "piece",
           1200, 8, "Perahu miniatur khas Maluku Utara dari kayu lokal, dirakit dan dicat tangan. "
           "Panjang sekitar 60 cm, cocok untuk hiasan ruang tamu atau cendera mata.",
           name_en="Wooden Miniature Boat", description_en="A North Maluku boat model in local "
           "wood, assembled and hand-painted. About 60 cm long.", flagship=True),
        _p("kursi-tamu-kayu", "Kursi Tamu Kayu Set", "mebel", 4_500_000, "set", 45000, 2,
           "Satu set kursi tamu: dua kursi, satu bangku panjang dan meja. Dikerjakan di bengkel "
           "pertukangan Lapas. Pengiriman dengan kayu pelindung.",
           name_en="Wooden Living-room Set", flagship=True),
        _p("cabai-rawit-segar", "Cabai Rawit Segar", "hasil-tani", 60_000, "kg", 1000, 40,
           "Cabai rawit dipetik dari kebun pembinaan Lapas Ternate. Dikirim segar, sebaiknya "
           "diambil langsung atau dikirim dalam kota.", name_en="Fresh Bird's-eye Chilli",
           perishable=True),
        _p("hiasan-dinding-kayu", "Hiasan Dinding Kayu Ukir", "kerajinan-kayu", 275_000, "piece",
           900, 0, "Hiasan dinding ukir bermotif cengkih dan pala.", name_en="Carved Wall Piece"),
        _p("ayam-pedaging", "Ayam Pedaging Hidup", "ternak", 75_000, "head", 2000, 25,
           "Ayam broiler dari kandang pembinaan. Hanya untuk diambil di Lapas.",
           name_en="Live Broiler Chicken", perishable=True),
    ],
    "lpp-ternate": [
        _p("sambal-roa-original", "Sambal Roa Original", "sambal", 45_000, "jar", 250, 60,
           "Sambal dari ikan roa asap, cabai dan bawang, dimasak di dapur pembinaan Lapas "
           "Perempuan Ternate. Botol kaca 200 gram.", name_en="Sambal Roa (smoked fish chilli)",
           description_en="Chilli paste of smoked roa fish, chilli and shallots, cooked in the "
           "women's prison kitchen. 200 g glass jar.", flagship=True,
           pirt="2098271010123-29", halal="ID82110000123450825"),
        _p("tas-rajut-tali-kur", "Tas Rajut Tali Kur", "rajutan", 185_000, "piece", 400, 12,
           "Tas jinjing rajutan tangan dari tali kur, kuat dan tahan air.",
           name_en="Hand-knitted Cord Bag", flagship=True),
        _p("keripik-pisang-mulut-bebek", "Keripik Pisang Mulut Bebek", "keripik", 25_000, "pack",
           200, 3, "Keripik pisang mulut bebek renyah, gurih manis. 150 gram.",
           name_en="Banana Chips", pirt="2098271010456-29"),
        _p("sambal-roa-pedas", "Sambal Roa Extra Pedas", "sambal", 50_000, "jar", 250, 0,
           "Versi lebih pedas dengan cabai rawit Ternate.", name_en="Extra Hot Sambal Roa",
           pirt="2098271010123-29"),
    ],
    "lpka-ternate": [
        _p("keranjang-anyaman-pandan", "Keranjang Anyaman Pandan", "anyaman", 95_000, "piece",
           350, 15, "Keranjang serbaguna dari daun pandan. Contoh produk (demo).",
           name_en="Pandan Woven Basket", flagship=True),
        _p("tatakan-gelas-bambu", "Tatakan Gelas Bambu (6 buah)", "anyaman", 40_000, "set", 150,
           30, "Enam tatakan gelas anyaman bambu. Contoh produk (demo).",
           name_en="Bamboo Coasters (6)", flagship=True),
        _p("tempat-pensil-anyaman", "Tempat Pensil Anyaman", "anyaman", 30_000, "piece", 100, 4,
           "Tempat pensil kecil dari anyaman. Contoh produk (demo).",
           name_en="Woven Pencil Holder"),
    ],
    "rutan-ternate": [
        _p("bubuk-pala-ternate", "Bubuk Pala Ternate", "rempah", 35_000, "pack", 100, 50,
           "Bubuk biji pala Ternate, wangi dan segar. 100 gram. Contoh produk (demo).",
           name_en="Ternate Ground Nutmeg", flagship=True, pirt="3082716020111-30"),
        _p("cengkih-kering", "Cengkih Kering Pilihan", "rempah", 40_000, "pack", 150, 35,
           "Cengkih kering sortir tangan. 150 gram. Contoh produk (demo).",
           name_en="Selected Dried Cloves", flagship=True),
        _p("kayu-manis-batang", "Kayu Manis Batang", "rempah", 30_000, "pack", 100, 20,
           "Kayu manis batang dari Halmahera. Contoh produk (demo).", name_en="Cinnamon Sticks"),
    ],
    "rutan-soasio": [
        _p("sirup-pala-tidore", "Sirup Pala Tidore", "rempah", 55_000, "bottle", 700, 24,
           "Sirup dari daging buah pala Tidore, segar diminum dingin. 500 ml. Contoh produk "
           "(demo).", name_en="Tidore Nutmeg Syrup", flagship=True, pirt="3082716030222-31",
           halal="ID82110000567890825"),
        _p("manisan-pala", "Manisan Pala Kering", "rempah", 30_000, "pack", 200, 18,
           "Manisan kulit pala kering. 200 gram. Contoh produk (demo).",
           name_en="Candied Nutmeg", flagship=True, pirt="3082716030333-31"),
        _p("teh-rempah-tidore", "Teh Rempah Tidore", "rempah", 28_000, "box", 120, 0,
           "Campuran teh, cengkih, kayu manis dan jahe. Contoh produk (demo).",
           name_en="Tidore Spiced Tea"),
    ],
    "rutan-weda": [
        _p("minyak-kelapa-murni", "Minyak Kelapa Murni (VCO)", "minyak", 65_000, "bottle", 300,
           30, "Minyak kelapa murni diolah dingin. 250 ml. Contoh produk (demo).",
           name_en="Virgin Coconut Oil", flagship=True, bpom="MD 123456789012"),
        _p("minyak-kelapa-goreng", "Minyak Kelapa Goreng", "minyak", 40_000, "bottle", 1100, 22,
           "Minyak kelapa tradisional untuk memasak. 1 liter. Contoh produk (demo).",
           name_en="Coconut Cooking Oil", flagship=True),
        _p("tikar-daun-kelapa", "Tikar Anyaman Daun Kelapa", "anyaman", 120_000, "piece", 1500,
           5, "Tikar anyaman daun kelapa 120 x 180 cm. Contoh produk (demo).",
           name_en="Coconut-leaf Mat"),
    ],
    "lapas-tobelo": [
        _p("batu-bata-merah", "Batu Bata Merah (100 buah)", "bahan-bangunan", 150_000, "pack",
           250000, 40, "Batu bata merah dibakar tradisional, 100 buah per paket. Hanya diambil "
           "di Lapas atau dikirim di Halmahera Utara.", name_en="Red Bricks (100)",
           flagship=True, perishable=True),
        _p("kepiting-kenari", "Kepiting Kenari", "ternak", 250_000, "head", 1500, 6,
           "Kepiting kenari (ketam kelapa) hasil budidaya. Hanya untuk diambil di Lapas.",
           name_en="Coconut Crab", flagship=True, perishable=True),
        _p("caisim-segar", "Caisim Segar", "sayur", 15_000, "bunch", 500, 30,
           "Sawi hijau (caisim) dipanen pagi hari. Satu ikat sekitar 500 gram.",
           name_en="Fresh Caisim Greens", perishable=True),
    ],
    "lapas-jailolo": [
        _p("gazebo-kayu", "Gazebo Kayu 2 x 2 m", "mebel", 12_500_000, "piece", 400000, 1,
           "Gazebo kayu dengan atap rumbia, dipasang di lokasi (Halmahera Barat).",
           name_en="Wooden Gazebo 2 x 2 m", flagship=True),
        _p("jagung-manis", "Jagung Manis", "hasil-tani", 20_000, "kg", 1000, 50,
           "Jagung manis dari kebun Lapas Jailolo.", name_en="Sweet Corn", flagship=True,
           perishable=True),
        _p("kambing-kacang", "Kambing Kacang", "ternak", 2_500_000, "head", 25000, 0,
           "Kambing kacang sehat, hanya untuk diambil di Lapas.", name_en="Kacang Goat",
           perishable=True),
    ],
    "lapas-sanana": [
        _p("kotak-tisu-jati", "Kotak Tisu Kayu Jati", "kerajinan-kayu", 150_000, "piece", 800, 14,
           "Kotak tisu dari kayu jati dengan ukiran sederhana dan lapisan pernis.",
           name_en="Teak Tissue Box", flagship=True),
        _p("kotak-tisu-jati-ukir", "Kotak Tisu Jati Ukir Premium", "kerajinan-kayu", 250_000,
           "piece", 1000, 5, "Kotak tisu jati ukir motif cengkih, dikerjakan penuh tangan.",
           name_en="Premium Carved Teak Tissue Box", flagship=True),
        _p("bunga-sisik-ikan", "Bunga Hias Sisik Ikan", "kerajinan-sisik", 75_000, "piece", 300,
           9, "Rangkaian bunga dari sisik ikan yang dibersihkan dan diwarnai.",
           name_en="Fish-scale Flower"),
        _p("beras-sanana", "Beras Sanana 5 kg", "hasil-tani", 80_000, "sack", 5000, 20,
           "Beras dari sawah pembinaan Lapas Sanana.", name_en="Sanana Rice 5 kg"),
    ],
    "lapas-labuha": [
        _p("pakcoy-hidroponik", "Pakcoy Hidroponik", "sayur", 15_000, "pack", 250, 40,
           "Pakcoy hidroponik segar, 250 gram per bungkus.", name_en="Hydroponic Pak Choi",
           flagship=True, perishable=True),
        _p("selada-hidroponik", "Selada Hidroponik", "sayur", 18_000, "pack", 200, 35,
           "Selada keriting hidroponik, renyah dan bersih.", name_en="Hydroponic Lettuce",
           flagship=True, perishable=True),
        _p("buncis-segar", "Buncis Segar", "sayur", 20_000, "kg", 1000, 2,
           "Buncis dari lahan sayur Lapas Labuha.", name_en="Fresh Green Beans", perishable=True),
    ],
}


ADMIN_EMAIL = "admin@kanwil.example.org"
PARTNERS = [
    dict(slug="disnaker-malut", name="Dinas Ketenagakerjaan Maluku Utara", kind="government",
         contact_name="Bidang Pelatihan dan Produktivitas",
         contact_email="disnaker@mitra.example.org", contact_phone="+62921000201"),
    dict(slug="pemkot-ternate", name="Pemkot Ternate", kind="government",
         contact_name="Bagian Perekonomian Setda Kota Ternate",
         contact_email="pemkot.ternate@mitra.example.org", contact_phone="+62921000202"),
]
# (email, name, partner organisation slug)
PARTNER_USERS = [
    ("disnaker@mitra.example.org", "Dinas Ketenagakerjaan Maluku Utara", "disnaker-malut"),
    ("pemkot.ternate@mitra.example.org", "Pemkot Ternate", "pemkot-ternate"),
]

# One approved demo promotion per partner, running from the day of seeding for `days` days.
# Scope selectors: facility_regency (every facility there) or facility + category (that
# facility's products in the category and its sub-categories).
PROMOTIONS = [
    dict(slug="gratis-ongkir-kota-ternate", partner="pemkot-ternate",
         name="Gratis Ongkir Kota Ternate",
         description="Pemkot Ternate menanggung ongkos kirim kurir untuk belanja dari Lapas, "
         "Rutan dan LPKA di Kota Ternate, sampai anggaran promo habis. Otomatis di keranjang "
         "dan bisa digabung dengan satu kode promo. (Promo contoh/demo.)",
         benefit="free_shipping", value=0, scope="facilities",
         facility_regency="Kota Ternate", redemption="automatic", combinable=True,
         budget=2_000_000, funding="partner", days=90),
    dict(slug="binaan20", partner="disnaker-malut",
         name="Diskon Binaan 20% Olahan Pangan Lapas Perempuan Ternate",
         description="Dinas Ketenagakerjaan Maluku Utara mendukung usaha olahan pangan warga "
         "binaan Lapas Perempuan Ternate: diskon 20% untuk sambal, keripik dan olahan lainnya "
         "dengan kode BINAAN20. Lapas tetap menerima harga penuh. (Promo contoh/demo.)",
         benefit="percent", value=20, scope="products", facility="lpp-ternate",
         category="makanan-minuman", redemption="code", code="BINAAN20", max_uses=100,
         max_uses_per_customer=1, funding="partner", days=60),
]
