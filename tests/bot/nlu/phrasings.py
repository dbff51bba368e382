"""Informal test questions written for the tests: in neither intents.yml nor the dev set."""

from __future__ import annotations

from bot.domain.intents import Intent

INFORMAL: dict[Intent, str] = {
    Intent.PROGRAM_OVERVIEW: "min bpjs ketenagakerjaan tuh sebenernya ngelindungin apa aja sih",
    Intent.JKK_BENEFIT: "klo aku jatuh pas kerja di kebun sawit bpjs nanggung apa aja",
    Intent.JKK_CLAIM: "temen sy kecelakaan di pabrik, gmn ngurus klaim jkk nya",
    Intent.JKM_BENEFIT: "klo peserta meninggal krn sakit keluarganya dpt duit brp",
    Intent.JKM_CLAIM: "bapak sy udh meninggal, ahli waris ngurus santunannya bawa berkas apa",
    Intent.JHT_BENEFIT: "jht tuh sebenernya apaan, duitnya dikembangin gak",
    Intent.JHT_CLAIM: "udh keluar kerja 2 bln, jht bs dicairin lwt hp gk",
    Intent.JP_BENEFIT: "umur brp sih bisa nerima pensiun bulanan dr bpjs tk",
    Intent.JP_CLAIM: "iuran jp baru 8 thn trs resign, bisa diambil sekaligus gmn caranya",
    Intent.JKP_BENEFIT: "aku korban phk massal, dpt uang jkp brp bulan",
    Intent.JKP_CLAIM: "mau ngajuin jkp abis di phk, daftarnya lwt mana",
    Intent.SCHOLARSHIP: "anak almarhum peserta bisa dpt beasiswa smp sampe kuliah?",
    Intent.CONTRIBUTION_PU: "gajiku 5,2jt sebulan, potongan bpjs tk nya brp aja",
    Intent.CONTRIBUTION_BPU: "iuran mandiri buat penjual gorengan sebulan brp",
    Intent.ELIGIBILITY: "aku buruh tani harian, boleh jd peserta gak",
    Intent.REGISTRATION_PU: "sy punya bengkel 4 karyawan, cara daftarin mereka ke bpjs tk gmn",
    Intent.REGISTRATION_BPU: "gmn caranya daftar bpjs tk sendiri lwt hp, sy tukang jahit",
    Intent.VULNERABLE_WORKERS: "warga miskin iuran bpjs tk nya bs dibayarin pemerintah gk",
    Intent.MIGRANT_WORKERS: "adik sy mau kerja ke taiwan, perlindungan bpjs tk nya gmn",
    Intent.CONSTRUCTION_WORKERS: "kuli di proyek jembatan dilindungi bpjs tk gak",
    Intent.LATE_PAYMENT: "udh 5 bln gk bayar iuran bpu, gmn biar aktif lg",
    Intent.BALANCE_CHECK: "mau liat saldo jht ku skrg brp, cek dmn",
    Intent.CONTACT: "nomor telp kantor bpjs tk yg bisa dihubungi brp",
    Intent.REGULATION: "aturan jkk jkm diatur di peraturan nomor brp",
    Intent.PARITRANA_AWARD: "penghargaan paritrana tahun ini siapa yg menang",
    Intent.COVERAGE_REGION: "brp persen pekerja di kab sambas yg udh ikut bpjs tk thn 2024",
    Intent.COVERAGE_COMPARE: "cakupan sambas ama bengkayang bagusan mana",
    Intent.COVERAGE_RANKING: "kab mana yg paling rendah kepesertaannya se kalbar",
    Intent.REGION_BUDGET: "pemkab kayong utara nganggarin brp buat iuran pekerja rentan",
    Intent.VILLAGE_TARGET: "desa sutera targetnya udh tercapai blm",
    Intent.GREETING: "halooo miin",
    Intent.THANKS: "makasiii ya min membantu bgt",
    Intent.HELP: "bot ini bisa bantu apa aja ya",
    Intent.SUBSCRIBE: "tolong kabarin sy klo ada info baru soal bpjs tk",
    Intent.UNSUBSCRIBE: "jgn kirimin sy pengumuman lg ya",
    Intent.LANGUAGE: "pls switch to english",
    Intent.OUT_OF_SCOPE_HEALTH: "kartu bpjs kesehatan ibu sy nonaktif gmn",
}

OUT_OF_SCOPE = ["resep ayam geprek yg enak gmn", "harga tiket bus ke pontianak brp"]
