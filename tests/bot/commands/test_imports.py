from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_dry_run_then_import_then_reimport(capsys: pytest.CaptureFixture[str]) -> None:
    example = str(EXAMPLES / "contoh-target-desa.csv")
    assert main(["import", "targets", example, "--dry-run"]) == 0
    assert "uji coba: belum ada yang disimpan" in capsys.readouterr().out
    assert main(["import", "targets", example]) == 0
    assert "sudah disimpan (8 baris baru atau berubah)" in capsys.readouterr().out
    assert main(["import", "targets", example]) == 0
    assert "tidak ada perubahan" in capsys.readouterr().out


def test_invalid_file_exits_non_zero_and_lists_every_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cakupan.csv"
    path.write_text(
        "kode_wilayah;tahun;pu;bpu;cakupan_persen;anggaran_rp;pekerja_rentan_dibiayai;sumber\n"
        "61.04;2024;-1;;;;;Harian Equator\n"
        "61.99;2024;5;;;;;Harian Equator\n",
        encoding="utf-8",
    )
    assert main(["import", "coverage", str(path)]) == 2
    out = capsys.readouterr().out
    assert 'Baris 2: pu "-1" tidak boleh negatif.' in out
    assert "Baris 3: kode 61.99 tidak ada di daftar wilayah Kemendagri." in out
    assert "Tidak ada yang disimpan" in out


def test_a_large_file_shows_rows_checked_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    villages_csv = Path(__file__).resolve().parents[3] / "bot/store/seed/regions/villages.csv"
    codes = [
        line.split(",")[0]
        for line in villages_csv.read_text(encoding="utf-8").splitlines()
        if line.startswith("61.11.")
    ]  # the 43 villages of Kayong Utara
    rows = [f"{code},2025,100,40,2025-01-{day:02},Dinas" for day in range(1, 29) for code in codes]
    path = tmp_path / "target-besar.csv"
    path.write_text(
        "kode_desa,tahun,target,terdaftar,per_tanggal,sumber\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    assert len(rows) == 1204

    assert main(["import", "targets", str(path), "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "baris diperiksa: 500",
        "baris diperiksa: 1000",
        "baris diperiksa: 1204",
    ]
    assert "baris diperiksa" not in captured.out  # stdout stays the report
    assert "uji coba: belum ada yang disimpan" in captured.out

    monkeypatch.setenv("JAMSOS_DEFAULT_LOCALE", "en")
    assert main(["import", "targets", str(path), "--dry-run"]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == "rows checked: 1204"
