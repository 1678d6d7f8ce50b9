"""The statutory retirement date, for 第三条第4项 (距离法定退休年龄至少3年).

Source: 《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》 (adopted by the
Standing Committee of the 14th National People's Congress on 2024-09-13, in force 2025-01-01) and
its annex 《国务院关于渐进式延迟法定退休年龄的办法》 with the tables 附件1 (men 60 → 63) and
附件2 (women 55 → 58; women 50 → 55):

- base ages before the reform: men 60; women cadres and professional staff 55 (teachers are
  professional staff, parameter ``sy.host.female_base_age``); women workers 50;
- from 2025-01 on, the retirement month of a person whose base retirement month falls in or after
  2025-01 is delayed by one month for every 4 months (women with base 50: every 2 months),
  counted from 2025-01 with the first month already delayed by one::

      delay = min(max, ⌊months from 2025-01 to the base retirement month ÷ step⌋ + 1)

  step 4 and max 36 months for men 60 and women 55 (→ 63 and 58); step 2 and max 60 months for
  women 50 (→ 55).

Checks against the annex tables: a man born 1965-01 retires at 60 years 1 month (2025-02); born
1965-05, 60 years 2 months; born 1976-09 or later, 63. A woman (55) born 1970-01: 55 years 1 month;
born 1981-09 or later, 58. A woman (50) born 1975-01: 50 years 1 month; born 1984-11 or later, 55.

The retirement date is the birth date moved on by the base age and the delay in months (the day
the person reaches the retirement age); a person's recorded ``retirement_date`` wins over it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mingshi.jurisdiction import add_months

#: the month from which the reform applies
REFORM_START = (2025, 1)


@dataclass(frozen=True)
class Schedule:
    base_years: int
    #: months of base retirement months per month of delay
    step: int
    max_delay: int


#: the three schedules of the decision, by base age
SCHEDULES = {
    60: Schedule(60, 4, 36),
    55: Schedule(55, 4, 36),
    50: Schedule(50, 2, 60),
}


def base_age(sex: str, female_base_age: int) -> int:
    """The pre-reform retirement age: men 60, women ``female_base_age`` (55 or 50)."""
    if sex == "M":
        return 60
    if sex == "F":
        if female_base_age not in (55, 50):
            raise ValueError(f"a woman's base retirement age is 55 or 50, not {female_base_age}")
        return female_base_age
    raise ValueError(f"unknown sex {sex!r}")


def delay_months(born: dt.date, base_years: int) -> int:
    """Months by which the base retirement month of a person born on ``born`` is delayed."""
    schedule = SCHEDULES[base_years]
    base_index = (born.year + base_years) * 12 + (born.month - 1)
    start_index = REFORM_START[0] * 12 + (REFORM_START[1] - 1)
    if base_index < start_index:
        return 0
    return min(schedule.max_delay, (base_index - start_index) // schedule.step + 1)


def statutory_retirement_date(born: dt.date, sex: str, female_base_age: int = 55) -> dt.date:
    """The day the person reaches the statutory retirement age under the 2024 decision."""
    years = base_age(sex, female_base_age)
    return add_months(born, years * 12 + delay_months(born, years))


def retirement_age_months(born: dt.date, sex: str, female_base_age: int = 55) -> int:
    """The statutory retirement age in months (e.g. 60 years 1 month → 721)."""
    years = base_age(sex, female_base_age)
    return years * 12 + delay_months(born, years)
