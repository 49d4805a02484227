"""What demo customers are made of: Ukrainian and Russian names, phones, feedback notes.

Kept apart from the simulation (:mod:`terminal.app.demo_sales`) so the data can grow without
touching the rules.
"""

from __future__ import annotations

# fmt: off
# (Cyrillic, Latin for e-mails, gender)
FIRST_NAMES = [
    ("Олена", "olena", "f"), ("Олександр", "oleksandr", "m"), ("Андрій", "andrii", "m"),
    ("Наталія", "nataliia", "f"), ("Іван", "ivan", "m"), ("Марія", "mariia", "f"),
    ("Дмитро", "dmytro", "m"), ("Тетяна", "tetiana", "f"), ("Сергій", "serhii", "m"),
    ("Ірина", "iryna", "f"), ("Микола", "mykola", "m"), ("Юлія", "yuliia", "f"),
    ("Володимир", "volodymyr", "m"), ("Оксана", "oksana", "f"), ("Богдан", "bohdan", "m"),
    ("Світлана", "svitlana", "f"), ("Тарас", "taras", "m"), ("Катерина", "kateryna", "f"),
    ("Анна", "anna", "f"), ("Максим", "maksym", "m"), ("Софія", "sofiia", "f"),
    ("Алексей", "aleksei", "m"), ("Екатерина", "ekaterina", "f"), ("Дмитрий", "dmitrii", "m"),
    ("Ольга", "olga", "f"), ("Сергей", "sergei", "m"), ("Татьяна", "tatiana", "f"),
    ("Михаил", "mikhail", "m"), ("Елена", "elena", "f"), ("Николай", "nikolai", "m"),
    ("Людмила", "liudmila", "f"), ("Артём", "artem", "m"), ("Вікторія", "viktoriia", "f"),
    ("Роман", "roman", "m"), ("Галина", "halyna", "f"), ("Павло", "pavlo", "m"),
]
# Surnames the same for both genders (Ukrainian -енко, -ук, -чук …)
NEUTRAL_SURNAMES = [
    "Коваленко", "Бондаренко", "Шевченко", "Ткаченко", "Кравченко", "Мельник", "Ковальчук",
    "Бойко", "Савченко", "Марченко", "Руденко", "Поліщук", "Лисенко", "Левченко", "Гончаренко",
    "Романюк", "Кузьменко", "Олійник", "Мороз", "Кравчук", "Павленко", "Клименко", "Петренко",
]
# Surnames with a feminine form (Russian -ов/-ова, -ин/-ина, Ukrainian -ський/-ська)
GENDERED_SURNAMES = [
    ("Іванов", "Іванова"), ("Смирнов", "Смирнова"), ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"), ("Соколов", "Соколова"), ("Новиков", "Новикова"),
    ("Морозов", "Морозова"), ("Волков", "Волкова"), ("Лебедев", "Лебедева"),
    ("Ковальський", "Ковальська"), ("Вишневський", "Вишневська"), ("Зайцев", "Зайцева"),
    ("Пушкін", "Пушкіна"), ("Гордієнко", "Гордієнко"),
]
# fmt: on
MOBILE_CODES = ["50", "66", "95", "99", "67", "68", "96", "97", "98", "63", "73", "93"]
FEEDBACK = [
    ("praise", "Дуже привітний касир, дякую!"),
    ("praise", "Зручно, що бали списуються одразу на касі."),
    ("suggestion", "Додайте, будь ласка, оплату карткою без контакту на другій касі."),
    ("suggestion", "Было бы удобно получать SMS о сгорании баллов."),
    ("complaint", "Довго чекав у черзі в суботу вранці."),
    ("complaint", "Не нарахували бали за покупку, прошу перевірити."),
    ("complaint", "Закончился мой любимый хлеб к вечеру."),
    ("suggestion", "Хочу бачити свій баланс у телефоні."),
]
CATEGORIES = ["grocery", "bakery", "drinks", "household", "dairy", None]
NPS_WEIGHTS = [1, 1, 1, 1, 2, 3, 4, 8, 14, 25, 40]  # scores 0..10, most customers are content
